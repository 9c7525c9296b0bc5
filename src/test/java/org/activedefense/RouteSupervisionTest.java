package org.activedefense;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A syslog port already taken at start does not stop the service: the EDL is served, health says what is wrong. */
class RouteSupervisionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTakenSyslogPortLeavesTheRestRunningAndHealthNamesIt() throws Exception {
        ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        int taken = squatter.getLocalPort();
        try (RunningService service = RunningService.start("route-supervision", Map.of(
                "syslog.tcp.port", String.valueOf(taken),
                "camel.route-controller.back-off-delay", "1000"))) {
            assertEquals(200, service.get("/files/blacklist.txt").statusCode());

            // the supervisor's first attempt may still be under way right after start
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    check(service.get("/observe/health/ready"), "syslog-listeners").get("message").asText().contains("Address already in use"));
            HttpResponse<String> health = service.get("/observe/health/ready");
            assertEquals(503, health.statusCode(), health.body());
            JsonNode listeners = check(health, "syslog-listeners");
            assertEquals("DOWN", listeners.get("status").asText());
            String message = listeners.get("message").asText();
            assertTrue(message.contains("ingest-syslog-tcp (tcp://127.0.0.1:" + taken + ") not listening"), message);
            assertTrue(message.contains("Address already in use"), message);
            assertTrue(message.contains("retrying every 1 s"), message);
            // UDP still works
            assertTrue(message.contains("listening: ingest-syslog-udp"), message);
            // liveness stays UP: restarting the JVM would not free the port
            assertEquals(200, service.get("/observe/health/live").statusCode());

            // once the port is free, the supervisor binds it and health turns UP
            squatter.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> service.get("/observe/health/ready").statusCode() == 200);
            assertEquals("UP", check(service.get("/observe/health"), "syslog-listeners").get("status").asText());
        } finally {
            squatter.close();
        }
    }

    private static JsonNode check(HttpResponse<String> health, String name) throws Exception {
        for (JsonNode c : JSON.readTree(health.body()).get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(name + " missing in " + health.body());
    }
}
