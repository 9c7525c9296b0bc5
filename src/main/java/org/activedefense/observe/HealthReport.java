package org.activedefense.observe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * Answers {@code GET /observe/health[/live|/ready]} on the main HTTP port without a login: the
 * overall state (200 UP, 503 DOWN) and each check's state and message, nothing more — the same
 * checks the management port shows with full details.
 */
public final class HealthReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CamelContext context;

    public HealthReport(CamelContext context) {
        this.context = context;
    }

    public void handle(Message message) throws JsonProcessingException {
        String probe = message.getHeader("probe", "", String.class);
        // The filter names the checks to leave out; "full" keeps every result, not only the failing ones.
        java.util.function.Predicate<HealthCheck> leaveOut = switch (probe) {
            case "live" -> c -> !c.isLiveness();
            case "ready" -> c -> !c.isReadiness();
            default -> c -> false;
        };
        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(context, c -> Map.of(), leaveOut, "full");
        boolean up = !results.isEmpty() && results.stream().allMatch(r -> r.getState() == HealthCheck.State.UP);
        List<Map<String, Object>> checks = new ArrayList<>();
        results.stream().sorted(Comparator.comparing(r -> r.getCheck().getId())).forEach(r -> {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", r.getCheck().getId());
            check.put("status", r.getState().name());
            r.getMessage().ifPresent(m -> check.put("message", m));
            checks.add(check);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }
}
