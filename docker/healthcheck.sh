#!/bin/sh
# Docker HEALTHCHECK: healthy when the service's health endpoint answers 2xx within 4 s.
# HEALTH_URL (set in the Dockerfile) says where; -k accepts the self-signed certificate over HTTPS.
exec curl --silent --show-error --fail --insecure --max-time 4 --output /dev/null "${HEALTH_URL:?HEALTH_URL is not set}"
