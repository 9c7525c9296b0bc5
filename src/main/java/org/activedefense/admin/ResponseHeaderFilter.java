package org.activedefense.admin;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * Camel's HTTP header filter, except that a route's {@code Cache-Control} reaches the client:
 * the stock filter drops it, and the API must say {@code no-store} (its answers hold logs and
 * addresses) while the EDL says {@code no-cache}.
 */
public final class ResponseHeaderFilter extends HttpHeaderFilterStrategy {

    public ResponseHeaderFilter() {
        getOutFilter().remove("cache-control");
    }
}
