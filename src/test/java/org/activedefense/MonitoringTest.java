package org.activedefense;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The management port: its login, our metrics after real traffic, and health. */
class MonitoringTest {

    private static final int SMTP_PORT = freePort();
    private static final String ADMIN = RunningService.basic("admin", "test-admin-password");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SCANNER = "45.155.205.20";
    static final String TARGET = "145.1.2.10";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withPerMethodLifecycle(false);

    static RunningService service;

    @BeforeAll
    static void boot() throws Exception {
        service = RunningService.start("monitoring", Map.of(
                "admin.password", "test-admin-password",
                "mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", String.valueOf(SMTP_PORT),
                // two device tags: the third firewall is counted as "other"
                "metrics.max-device-tags", "2"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static HttpResponse<String> managementAs(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.managementPort + path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theManagementPortNeedsTheLogin() throws Exception {
        for (String path : new String[] {"/observe/metrics", "/observe/jolokia/version", "/observe/health"}) {
            assertEquals(401, managementAs(path, null).statusCode(), path);
            assertEquals(401, managementAs(path, RunningService.basic("monitor", "wrong")).statusCode(), path);
            assertEquals(401, managementAs(path, ADMIN).statusCode(), "admin accounts do not open it: " + path);
            assertEquals(200, service.management(path).statusCode(), path);
        }
        // nothing of it on the main port, which the firewall reaches
        assertEquals(404, service.get("/observe/metrics").statusCode());
        assertEquals(404, service.get("/observe/jolokia/version").statusCode());
    }

    @Test
    void healthAnswersOnTheMainPortWithoutLoginAndNamesEveryCheck() throws Exception {
        HttpResponse<String> health = service.get("/observe/health");
        assertEquals(200, health.statusCode(), health.body());
        JsonNode body = JSON.readTree(health.body());
        assertEquals("UP", body.get("status").asText());
        Map<String, String> messages = new java.util.HashMap<>();
        body.get("checks").forEach(c -> messages.put(c.get("name").asText(), c.path("message").asText()));
        assertEquals("PostgreSQL answers", messages.get("database"));
        assertTrue(messages.get("syslog-listeners").contains("ingest-syslog-tcp (tcp://127.0.0.1:" + service.tcpPort + ")"),
                messages.toString());
        assertTrue(messages.get("routes-started").endsWith("routes started"), messages.toString());
        // the other test may have run detection already
        assertTrue(messages.get("detection-recent").matches("(no detection run yet|last detection run finished at).*"),
                messages.toString());
        assertTrue(messages.containsKey("route:serve-edl"), messages.toString());

        JsonNode live = JSON.readTree(service.get("/observe/health/live").body());
        live.get("checks").forEach(c -> assertFalse(c.get("name").asText().equals("database"), "database is readiness only"));
        JsonNode ready = JSON.readTree(service.get("/observe/health/ready").body());
        assertTrue(ready.toString().contains("\"database\""), ready.toString());
    }

    @Test
    void ourMetricsCountRealTraffic() throws Exception {
        // 11 ports from one scanner over UDP (fw-a), two lines over TCP (fw-b), one from a third firewall (other)
        // and one line that does not parse
        for (int port = 1; port <= 11; port++) {
            service.sendUdp("<14>Nov 22 13:00:00 fw-a "
                    + PanosLines.traffic(Map.of(7, SCANNER, 8, TARGET, 25, String.valueOf(2000 + port))));
        }
        // tags go to names in the order they are first seen: fw-a first, so wait for it
        await().atMost(Duration.ofSeconds(60)).until(() ->
                service.metric("activedefense_device_lines_stored_total{device=\"fw-a\",transport=\"udp\"}") == 11.0);
        try (Socket s = service.openTcp()) {
            RunningService.write(s, "<14>Nov 22 13:00:00 fw-b " + PanosLines.traffic(Map.of(7, "203.0.113.7", 8, TARGET)) + "\n"
                    + "<14>Nov 22 13:00:00 fw-b " + PanosLines.traffic(Map.of(7, "203.0.113.8", 8, TARGET)) + "\n"
                    + "<14>Nov 22 13:00:00 fw-c " + PanosLines.traffic(Map.of(7, "203.0.113.9", 8, TARGET)) + "\n"
                    + "this is not syslog at all\n");
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                service.metric("activedefense_device_lines_stored_total{device=\"other\",transport=\"tcp\"}") == 1.0);
        assertEquals(11.0, service.metric("activedefense_device_lines_received_total{device=\"fw-a\",transport=\"udp\"}"));
        assertEquals(11.0, service.metric("activedefense_device_lines_stored_total{device=\"fw-a\",transport=\"udp\"}"));
        assertEquals(2.0, service.metric("activedefense_device_lines_stored_total{device=\"fw-b\",transport=\"tcp\"}"));
        // the unparsable line has no device name: its sender address would be a third tag, so "other"
        assertEquals(1.0, service.metric("activedefense_device_lines_rejected_total{device=\"other\",transport=\"tcp\"}"));
        assertEquals(2.0, service.metric("activedefense_device_lines_received_total{device=\"other\",transport=\"tcp\"}"));
        assertFalse(service.management("/observe/metrics").body().contains("device=\"fw-c\""), "capped at 2 device tags");
        assertEquals(14.0, service.metric("activedefense_log_lines_stored_total"));
        assertEquals(1.0, service.metric("activedefense_log_lines_rejected_total{transport=\"tcp\"}"));
        assertTrue(service.metric("activedefense_log_batch_write_seconds_count") >= 1.0);

        HttpResponse<byte[]> run = service.http("POST", "/api/detection/run", null, "Authorization", ADMIN);
        assertEquals(200, run.statusCode(), new String(run.body()));
        assertEquals(1.0, service.metric("activedefense_detection_findings_total{case=\"port-scan\",outcome=\"new\"}"));
        assertEquals(0.0, service.metric("activedefense_detection_findings_total{case=\"host-sweep\",outcome=\"new\"}"));
        assertEquals(1.0, service.metric("activedefense_detection_run_seconds_count{status=\"ok\"}"));
        assertTrue(service.metric("activedefense_detection_last_success_seconds") > 1.7e9);

        assertEquals(SCANNER + "\n", service.get("/files/blacklist.txt").body());
        assertEquals(1.0, service.metric("activedefense_edl_requests_total"));
        assertEquals(1.0, service.metric("activedefense_blacklist_size"));

        // the run's digest mail goes to the SMTP server
        await().atMost(Duration.ofSeconds(60)).until(() -> service.metric("activedefense_mail_sent_total") == 1.0);
        assertEquals(1, SMTP.getReceivedMessages().length);
        assertEquals(0.0, service.metric("activedefense_mail_failed_total"));
        // Camel's own metrics are there too
        assertTrue(service.management("/observe/metrics").body().contains("camel_routes_running_routes"),
                "Camel's own metrics");
    }

    static JsonNode jolokia(String requestJson) throws Exception {
        // HTTP/1.1: the JDK client's h2c upgrade on a POST with a body got GOAWAY from Vert.x
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.managementPort + "/observe/jolokia"))
                        .header("Authorization", RunningService.basic(RunningService.MANAGEMENT_USER, RunningService.MANAGEMENT_PASSWORD))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(requestJson)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static final String ROUTE = "org.apache.camel:context=active-defense,type=routes,name=\\\"summarize-log-index\\\"";

    @Test
    void jolokiaReadsEverythingButRunsOnlyTheOperatorsOperations() throws Exception {
        // reading route MBeans
        JsonNode state = jolokia("{\"type\":\"read\",\"mbean\":\"" + ROUTE + "\",\"attribute\":\"State\"}");
        assertEquals(200, state.get("status").asInt(), state.toString());
        assertEquals("Started", state.get("value").asText());
        JsonNode routes = jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}");
        assertTrue(routes.get("value").toString().contains("serve-edl"), routes.toString());
        JsonNode heap = jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}");
        assertEquals(200, heap.get("status").asInt(), heap.toString());

        // allowed: stop and start a route
        assertEquals(200, jolokia("{\"type\":\"exec\",\"mbean\":\"" + ROUTE + "\",\"operation\":\"stop()\"}").get("status").asInt());
        assertEquals("Stopped", service.camelContext().getRouteController().getRouteStatus("summarize-log-index").name());
        assertEquals(200, jolokia("{\"type\":\"exec\",\"mbean\":\"" + ROUTE + "\",\"operation\":\"start()\"}").get("status").asInt());
        assertEquals("Started", service.camelContext().getRouteController().getRouteStatus("summarize-log-index").name());

        // allowed: the engine's operations
        JsonNode run = jolokia("{\"type\":\"exec\",\"mbean\":\"org.activedefense:type=engine\",\"operation\":\"runDetection()\"}");
        assertEquals(200, run.get("status").asInt(), run.toString());
        assertEquals("jmx", JSON.readTree(run.get("value").asText()).get("trigger").asText());
        assertEquals(200, jolokia("{\"type\":\"exec\",\"mbean\":\"org.activedefense:type=engine\",\"operation\":\"switchOff()\"}").get("status").asInt());
        assertEquals(false, jolokia("{\"type\":\"read\",\"mbean\":\"org.activedefense:type=engine\",\"attribute\":\"Running\"}").get("value").asBoolean());
        assertEquals(200, jolokia("{\"type\":\"exec\",\"mbean\":\"org.activedefense:type=engine\",\"operation\":\"switchOn()\"}").get("status").asInt());
        assertEquals(true, jolokia("{\"type\":\"read\",\"mbean\":\"org.activedefense:type=engine\",\"attribute\":\"Running\"}").get("value").asBoolean());

        // denied: stopping the whole context, any other operation, writing an attribute
        JsonNode stopContext = jolokia("{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=active-defense,type=context,name=\\\"active-defense\\\"\",\"operation\":\"stop()\"}");
        assertEquals(403, stopContext.get("status").asInt(), stopContext.toString());
        assertTrue(service.camelContext().isStarted());
        assertEquals(403, jolokia("{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\"}").get("status").asInt());
        assertEquals(403, jolokia("{\"type\":\"exec\",\"mbean\":\"" + ROUTE + "\",\"operation\":\"remove()\"}").get("status").asInt());
        JsonNode write = jolokia("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}");
        assertEquals(403, write.get("status").asInt(), write.toString());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
