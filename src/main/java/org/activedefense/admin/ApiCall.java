package org.activedefense.admin;

import org.apache.camel.Exchange;

/** Who made an API request and from where, as the gate established it. */
public record ApiCall(String username, String role, String source, String sessionToken) {

    static final String VARIABLE = "apiCall";

    public static ApiCall of(Exchange exchange) {
        ApiCall call = exchange.getVariable(VARIABLE, ApiCall.class);
        if (call == null) {
            throw new IllegalStateException("the request did not pass the admin gate");
        }
        return call;
    }
}
