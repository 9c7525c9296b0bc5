package org.activedefense.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

/**
 * Switches the engine — the scheduled detection and housekeeping routes — off and on at runtime,
 * as the admin API's {@code PUT /api/engine} and JMX do. Ingest and the EDL keep running.
 */
public final class EngineControl {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final CamelContext context;
    private final List<String> routeIds;
    private final Runnable afterStart;

    /** @param afterStart runs after the routes started again (puts the detection trigger on the current cron) */
    public EngineControl(CamelContext context, List<String> routeIds, Runnable afterStart) {
        this.context = context;
        this.routeIds = List.copyOf(routeIds);
        this.afterStart = afterStart;
    }

    /** {@code {"running": true|false, "routes": {"detect-attackers": "Started", ...}}} */
    public Map<String, Object> state() {
        Map<String, Object> routes = new LinkedHashMap<>();
        boolean allStarted = true;
        for (String id : routeIds) {
            ServiceStatus status = context.getRouteController().getRouteStatus(id);
            routes.put(id, status == null ? "Unknown" : status.name());
            allStarted &= status == ServiceStatus.Started;
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("running", allStarted);
        state.put("routes", routes);
        return state;
    }

    /** Applies {@code {"running": true|false}} and answers the new state. */
    public Map<String, Object> change(String requestJson) throws Exception {
        Object running;
        try {
            running = JSON.readTree(requestJson == null ? "" : requestJson).path("running").isBoolean()
                    ? JSON.readTree(requestJson).get("running").booleanValue() : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            running = null;
        }
        if (!(running instanceof Boolean on)) {
            throw new IllegalArgumentException(
                    "send Content-Type: application/json with the body {\"running\": true} or {\"running\": false}");
        }
        for (String id : routeIds) {
            if (on) {
                context.getRouteController().startRoute(id);
            } else {
                context.getRouteController().stopRoute(id);
            }
        }
        if (on) {
            afterStart.run();
        }
        return state();
    }
}
