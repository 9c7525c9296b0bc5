package org.activedefense.admin;

import java.util.Map;

import org.apache.camel.Exchange;

/** Switches the engine through the API, with an audit entry of the state before and after. */
public final class EngineApi {

    private final EngineControl engine;
    private final AuditLog audit;

    public EngineApi(EngineControl engine, AuditLog audit) {
        this.engine = engine;
        this.audit = audit;
    }

    public Map<String, Object> state() {
        return engine.state();
    }

    public Map<String, Object> change(Exchange exchange) throws Exception {
        ApiCall call = ApiCall.of(exchange);
        Map<String, Object> before = engine.state();
        Map<String, Object> after = engine.change(exchange.getMessage().getBody(String.class));
        audit.record(call.username(), call.source(), "engine.change", "engine", before, after);
        return after;
    }
}
