package org.activedefense;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Detection end to end: attack traffic over UDP and TCP in both formats, a run triggered through
 * the admin API, then the EDL, the blacklist's evidence and the digest mail received by a real
 * SMTP server (GreenMail). The tests run in order: later ones build on the first run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DetectionTest {

    private static final int SMTP_PORT = freePort();
    private static final String ADMIN = RunningService.basic("admin", "test-admin-password");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withPerMethodLifecycle(false);

    // the scenario's addresses (public ranges; nothing is ever sent to them)
    static final String VERTICAL = "45.155.205.10";       // 11 ports of one host: over the threshold
    static final String AT_THRESHOLD = "45.155.205.11";   // exactly 10 ports: not "more than"
    static final String HORIZONTAL = "80.82.77.33";       // port 22 of 11 hosts
    static final String CRITICAL = "89.248.165.5";        // a critical exploit
    static final String HIGH = "89.248.165.6";            // a high exploit: level 2 only
    static final String PRIVATE = "10.1.2.3";             // scans, but is private
    static final String ALLOWLISTED = "141.98.11.7";      // scans, allowlisted in the properties
    static final String ALLOWLISTED_TABLE = "141.98.11.8"; // scans, allowlisted in the table
    static final String OWN = "145.1.2.50";               // scans from inside our own network
    static final String LISTED = "193.106.191.2";         // listed earlier, still hitting the deny rule
    static final String TARGET = "145.1.2.10";

    private static RunningService service;
    private static JsonNode firstRun;

    @BeforeAll
    static void boot() throws Exception {
        service = RunningService.start("detection", Map.of(
                "admin.password", "test-admin-password",
                "policy.own-networks", "145.1.2.0/24",
                "policy.allowlist", ALLOWLISTED + "/32",
                "mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", String.valueOf(SMTP_PORT),
                "mail.to", "soc@example.org, oncall@example.org",
                "mail.from", "activedefense@example.org"));
    }

    @AfterAll
    static void shutdown() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void anEmptyListIsServedAs200WithAnEmptyBody() throws Exception {
        HttpResponse<byte[]> r = service.http("GET", "/files/blacklist.txt", null);
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
        assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.headers().firstValue("ETag").isPresent());
        assertEquals(404, service.http("GET", "/files/other.txt", null).statusCode());
    }

    @Test
    @Order(2)
    void theAdminApiRequiresCredentials() throws Exception {
        HttpResponse<byte[]> none = service.http("POST", "/api/detection/run", null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertEquals(401, service.http("POST", "/api/detection/run", null,
                "Authorization", RunningService.basic("admin", "wrong")).statusCode());
        assertEquals(401, service.http("GET", "/api/blacklist", null,
                "Authorization", RunningService.basic("nobody", "test-admin-password")).statusCode());
        assertEquals(0, service.count("SELECT count(*) FROM detection_run"));
    }

    @Test
    @Order(3)
    void aRunListsTheAttackersAndOnlyThem() throws Exception {
        service.execute("INSERT INTO allowlist (network, comment) VALUES (CAST(? AS cidr), 'partner scanner')",
                ALLOWLISTED_TABLE + "/32");
        service.execute("INSERT INTO blacklist (address, case_name, source, first_seen, last_seen, evidence) "
                + "VALUES (CAST(? AS inet), 'port-scan', 'detected', now() - interval '3 days', now() - interval '3 days', '{}')",
                LISTED);

        // phase 1, THREAT CSV over TCP: a critical and a high exploit
        try (Socket s = service.openTcp()) {
            RunningService.write(s, line("fw-a", PanosLines.threat(Map.of(7, CRITICAL, 8, TARGET, 34, "critical"))) + "\n"
                    + line("fw-a", PanosLines.threat(Map.of(7, HIGH, 8, TARGET, 34, "high"))) + "\n");
        }
        awaitRows(2);
        // phase 2, key=value over TCP: a host sweep on port 22
        try (Socket s = service.openTcp()) {
            StringBuilder b = new StringBuilder();
            for (int host = 1; host <= 11; host++) {
                b.append(line("fw-b", kv(HORIZONTAL, "145.1.2." + host, 22))).append('\n');
            }
            RunningService.write(s, b.toString());
        }
        awaitRows(13);
        // phase 3, CSV TRAFFIC over UDP: vertical scans, over, at, and protected
        int sent = 13;
        sent += scan(VERTICAL, 11);
        sent += scan(AT_THRESHOLD, 10);
        sent += scan(PRIVATE, 20);
        sent += scan(ALLOWLISTED, 20);
        sent += scan(ALLOWLISTED_TABLE, 20);
        sent += scan(OWN, 20);
        awaitRows(sent);
        // phase 4: the listed address hits the deny rule
        service.sendUdp(line("fw-a", PanosLines.traffic(Map.of(7, LISTED, 8, TARGET, 25, "443", 11, "Active Defense Deny"))));
        awaitRows(sent + 1);

        HttpResponse<byte[]> run = service.http("POST", "/api/detection/run", null, "Authorization", ADMIN);
        assertEquals(200, run.statusCode(), new String(run.body(), StandardCharsets.UTF_8));
        firstRun = JSON.readTree(run.body());
        assertEquals("ok", firstRun.get("status").asText());
        // vertical + 3 protected scanners; private sources are skipped before aggregation
        assertEquals(4, firstRun.at("/matches/port-scan").asInt());
        assertEquals(1, firstRun.at("/matches/host-sweep").asInt());
        assertEquals(1, firstRun.at("/matches/vulnerability").asInt());
        assertEquals(List.of(VERTICAL, HORIZONTAL, CRITICAL), sortedAddresses(firstRun.get("added")));
        assertEquals(1, firstRun.get("refreshedByActivity").asInt());
        Map<String, String> stopped = new HashMap<>();
        firstRun.get("stopped").forEach(f -> stopped.put(f.get("address").asText(), f.get("reason").asText()));
        assertEquals(3, stopped.size(), stopped.toString());
        assertFalse(stopped.containsKey(PRIVATE), "private sources never become candidates");
        assertTrue(stopped.get(ALLOWLISTED).contains("allowlisted"), stopped.toString());
        assertTrue(stopped.get(ALLOWLISTED_TABLE).contains("partner scanner"), stopped.toString());
        assertTrue(stopped.get(OWN).contains("own network"), stopped.toString());

        // the EDL: exactly the listed addresses, most recently active first
        HttpResponse<byte[]> edl = service.http("GET", "/files/blacklist.txt", null);
        assertEquals(200, edl.statusCode());
        assertEquals(LISTED + "\n" + VERTICAL + "\n" + HORIZONTAL + "\n" + CRITICAL + "\n",
                new String(edl.body(), StandardCharsets.US_ASCII));
        assertEquals(LISTED + "\n" + VERTICAL + "\n", text(service.http("GET", "/files/blacklist-port-scan.txt", null)));
        assertEquals(HORIZONTAL + "\n", text(service.http("GET", "/files/blacklist-host-sweep.txt", null)));
        assertEquals("", text(service.http("GET", "/files/blacklist-ipv6.txt", null)));

        // the refreshed entry moved on from three days ago
        assertEquals(1, service.count("SELECT count(*) FROM blacklist WHERE address = CAST(? AS inet) "
                + "AND last_seen > now() - interval '1 minute'", LISTED));
        assertEquals(1, service.count("SELECT count(*) FROM detection_run WHERE status = 'ok' AND new_count = 3 AND stopped_count = 3"));
        assertEquals(3, service.count("SELECT count(*) FROM detection_finding WHERE outcome = 'stopped'"));
        assertEquals(0, service.count("SELECT count(*) FROM detection_finding WHERE address = CAST(? AS inet)", PRIVATE));
    }

    @Test
    @Order(4)
    void theBlacklistApiShowsTheEvidence() throws Exception {
        HttpResponse<byte[]> r = service.http("GET", "/api/blacklist", null, "Authorization", ADMIN);
        assertEquals(200, r.statusCode());
        Map<String, JsonNode> byAddress = new HashMap<>();
        JSON.readTree(r.body()).forEach(e -> byAddress.put(e.get("address").asText(), e));
        assertEquals(4, byAddress.size());
        JsonNode v = byAddress.get(VERTICAL);
        assertEquals("port-scan", v.get("case").asText());
        assertEquals("detected", v.get("source").asText());
        assertEquals(11, v.at("/evidence/distinctPorts").asInt());
        assertEquals(TARGET, v.at("/evidence/target").asText());
        assertEquals(11, v.at("/evidence/samplePorts").size());
        assertEquals("fw-c", v.at("/evidence/devices/0").asText());
        JsonNode h = byAddress.get(HORIZONTAL);
        assertEquals("host-sweep", h.get("case").asText());
        assertEquals(11, h.at("/evidence/distinctHosts").asInt());
        assertEquals(22, h.at("/evidence/port").asInt());
        JsonNode c = byAddress.get(CRITICAL);
        assertEquals("vulnerability", c.get("case").asText());
        assertEquals("Bash Remote Code Execution Vulnerability (CVE-2014-6271)", c.at("/evidence/sampleThreats/0").asText());
        assertNotNull(c.get("addedByRun"));
    }

    @Test
    @Order(5)
    void oneDigestMailReachesTheSmtpServer() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> SMTP.getReceivedMessages().length >= 2);
        MimeMessage[] mails = SMTP.getReceivedMessages();
        assertEquals(2, mails.length, "one mail, delivered to both recipients");
        MimeMessage mail = mails[0];
        assertEquals("[ActiveDefense] 3 new addresses blocked", mail.getSubject());
        String body = ((String) mail.getContent());
        for (String a : List.of(VERTICAL, HORIZONTAL, CRITICAL)) {
            assertTrue(body.contains(a), body);
        }
        assertFalse(body.contains(PRIVATE) || body.contains(AT_THRESHOLD) || body.contains(HIGH), body);
        assertTrue(body.contains("11 ports of " + TARGET), body);
        assertTrue(body.contains("3 more matched but were not blocked by policy"), body);
    }

    @Test
    @Order(6)
    void aSecondRunWithNoNewTrafficSendsNoMail() throws Exception {
        HttpResponse<byte[]> run = service.http("POST", "/api/detection/run", null, "Authorization", ADMIN);
        JsonNode summary = JSON.readTree(run.body());
        assertEquals("ok", summary.get("status").asText());
        assertEquals(0, summary.get("added").size());
        assertEquals(3, summary.get("refreshed").size());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> SMTP.getReceivedMessages().length, n -> n == 2);
    }

    @Test
    @Order(7)
    void theEdlAnswersConditionalGzipAndHeadRequests() throws Exception {
        HttpResponse<byte[]> full = service.http("GET", "/files/blacklist.txt", null);
        String etag = full.headers().firstValue("ETag").orElseThrow();
        String lastModified = full.headers().firstValue("Last-Modified").orElseThrow();
        assertEquals(304, service.http("GET", "/files/blacklist.txt", null, "If-None-Match", etag).statusCode());
        assertEquals(304, service.http("GET", "/files/blacklist.txt", null, "If-Modified-Since", lastModified).statusCode());
        assertEquals(200, service.http("GET", "/files/blacklist.txt", null, "If-None-Match", "\"other\"").statusCode());
        assertEquals(200, service.http("GET", "/files/blacklist.txt", null,
                "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").statusCode());

        HttpResponse<byte[]> gz = service.http("GET", "/files/blacklist.txt", null, "Accept-Encoding", "gzip");
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertEquals(new String(full.body(), StandardCharsets.US_ASCII), new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        HttpResponse<byte[]> head = service.http("HEAD", "/files/blacklist.txt", null);
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(etag, head.headers().firstValue("ETag").orElse(""));
        assertEquals(405, service.http("POST", "/files/blacklist.txt", "x").statusCode());
    }

    @Test
    @Order(8)
    void expiryAndRetentionRemoveWhatIsTooOld() throws Exception {
        service.execute("INSERT INTO blacklist (address, case_name, source, first_seen, last_seen, evidence) "
                + "VALUES ('5.188.10.1', 'port-scan', 'detected', now() - interval '40 days', now() - interval '31 days', '{}'),"
                + "       ('5.188.10.2', 'port-scan', 'detected', now() - interval '40 days', now() - interval '29 days', '{}')");
        service.camelContext().createProducerTemplate().sendBody("direct:expire-blacklist", null);
        assertEquals(0, service.count("SELECT count(*) FROM blacklist WHERE address = '5.188.10.1'"));
        assertEquals(1, service.count("SELECT count(*) FROM blacklist WHERE address = '5.188.10.2'"));
        assertEquals(1, service.count("SELECT count(*) FROM blacklist_history WHERE address = '5.188.10.1' "
                + "AND removal = 'expired: no activity for 30 days'"));
        assertFalse(text(service.http("GET", "/files/blacklist.txt", null)).contains("5.188.10.1\n"));

        service.execute("CREATE TABLE firewall_log_20200101 PARTITION OF firewall_log "
                + "FOR VALUES FROM ('2020-01-01 00:00:00+00') TO ('2020-01-02 00:00:00+00')");
        service.execute("INSERT INTO firewall_log (received_at, device, sender) VALUES ('2020-01-01 12:00:00+00', 'old', '192.0.2.1')");
        long before = service.count("SELECT count(*) FROM firewall_log");
        service.camelContext().createProducerTemplate().sendBody("direct:drop-old-logs", null);
        assertEquals(0, service.count("SELECT count(*) FROM pg_tables WHERE tablename = 'firewall_log_20200101'"));
        assertEquals(before - 1, service.count("SELECT count(*) FROM firewall_log"));
    }

    @Test
    @Order(9)
    void theEngineGoesOffAndOnWhileIngestKeepsStoring() throws Exception {
        HttpResponse<byte[]> off = service.http("PUT", "/api/engine", "{\"running\": false}",
                "Authorization", ADMIN, "Content-Type", "application/json");
        assertEquals(200, off.statusCode(), new String(off.body(), StandardCharsets.UTF_8));
        assertFalse(JSON.readTree(off.body()).get("running").asBoolean());
        assertEquals("Stopped", service.camelContext().getRouteController().getRouteStatus("detect-attackers").name());

        long rows = service.count("SELECT count(*) FROM firewall_log");
        service.sendUdp(line("fw-a", PanosLines.traffic(Map.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> service.count("SELECT count(*) FROM firewall_log") == rows + 1);

        HttpResponse<byte[]> on = service.http("PUT", "/api/engine", "{\"running\": true}",
                "Authorization", ADMIN, "Content-Type", "application/json");
        assertTrue(JSON.readTree(on.body()).get("running").asBoolean());
        assertEquals("Started", service.camelContext().getRouteController().getRouteStatus("detect-attackers").name());
        assertEquals(400, service.http("PUT", "/api/engine", "{\"running\": \"maybe\"}",
                "Authorization", ADMIN, "Content-Type", "application/json").statusCode());
    }

    private static int scan(String source, int ports) throws Exception {
        for (int port = 1; port <= ports; port++) {
            service.sendUdp(line("fw-c", PanosLines.traffic(Map.of(7, source, 8, TARGET, 25, String.valueOf(1000 + port)))));
        }
        return ports;
    }

    private static String kv(String src, String dst, int port) {
        return PanosLines.keyValue(Map.ofEntries(Map.entry("SrcLocation", "Netherlands"), Map.entry("SrcIP", src),
                Map.entry("SrcPort", "40000"), Map.entry("DstLocation", "10.0.0.0-10.255.255.255"), Map.entry("DstIP", dst),
                Map.entry("DstPort", String.valueOf(port)), Map.entry("Action", "deny"),
                Map.entry("RuleName", "catch-all deny"), Map.entry("TimeReceived", "2026/11/22 13:00:00"),
                Map.entry("Subtype", "deny"), Map.entry("Type", "TRAFFIC")));
    }

    private static String line(String device, String body) {
        return "<14>Nov 22 13:00:00 " + device + " " + body;
    }

    private static void awaitRows(long n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> service.count("SELECT count(*) FROM firewall_log") >= n);
    }

    private static List<String> sortedAddresses(JsonNode findings) {
        return java.util.stream.StreamSupport.stream(findings.spliterator(), false)
                .map(f -> f.get("address").asText()).sorted().toList();
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.US_ASCII);
    }

    private static int freePort() {
        try {
            return RunningService.freeTcpPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
