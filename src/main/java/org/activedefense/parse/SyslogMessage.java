package org.activedefense.parse;

/**
 * A syslog line split into the innermost header's host name and the message body.
 *
 * @param host host name as sent (attacker text, at most {@link SyslogHeaderParser#MAX_HOST_LENGTH}
 *             characters), or null when no header names one
 * @param body everything after the header(s), never null, possibly empty
 */
public record SyslogMessage(String host, String body) {
}
