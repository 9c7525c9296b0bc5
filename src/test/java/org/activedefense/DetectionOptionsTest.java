package org.activedefense;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The other settings of detection and publishing, on a service without an SMTP server: level 2,
 * a simulated case, the outbox, EDL credentials, CIDR aggregation and the device silence alert.
 */
class DetectionOptionsTest {

    private static final String ADMIN = RunningService.basic("admin", "options-admin-password");
    private static final String EDL_AUTH = RunningService.basic("paloalto", "edl-secret");
    private static RunningService service;
    private static Path outbox;

    @BeforeAll
    static void boot() throws Exception {
        outbox = Path.of("target", "test-data", "detection-options-outbox").toAbsolutePath();
        RunningService.deleteRecursively(outbox);
        service = RunningService.start("detection-options", Map.ofEntries(
                Map.entry("admin.password", "options-admin-password"),
                Map.entry("detect.vulnerability.level", "2"),
                Map.entry("detect.simulate-cases", "host-sweep"),
                Map.entry("edl.username", "paloalto"),
                Map.entry("edl.password", "edl-secret"),
                Map.entry("edl.aggregate-cidrs", "true"),
                Map.entry("mail.outbox-dir", outbox.toString()),
                Map.entry("notify.device-silence-minutes", "1"),
                Map.entry("notify.device-silence-check-seconds", "1")));
    }

    @AfterAll
    static void shutdown() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void levelTwoSimulationOutboxAuthenticationAndAggregation() throws Exception {
        // a high exploit (listed at level 2), four critical ones from consecutive addresses, a sweep
        service.sendUdp(line(PanosLines.threat(Map.of(7, "89.248.165.6", 34, "high"))));
        for (int last = 8; last <= 11; last++) {
            service.sendUdp(line(PanosLines.threat(Map.of(7, "89.248.165." + last, 34, "critical"))));
        }
        for (int host = 1; host <= 12; host++) {
            service.sendUdp(line(PanosLines.traffic(Map.of(7, "80.82.77.40", 8, "145.1.2." + host, 25, "23"))));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> service.count("SELECT count(*) FROM firewall_log") == 17);

        HttpResponse<byte[]> run = service.http("POST", "/api/detection/run", null, "Authorization", ADMIN);
        JsonNode summary = new ObjectMapper().readTree(run.body());
        assertEquals(5, summary.get("added").size(), summary.toString());
        assertEquals(1, summary.get("simulated").size());
        assertEquals("80.82.77.40", summary.at("/simulated/0/address").asText());
        assertEquals(1, service.count("SELECT count(*) FROM detection_finding WHERE outcome = 'simulated'"));
        assertEquals(0, service.count("SELECT count(*) FROM blacklist WHERE address = '80.82.77.40'"));

        // the EDL asks for its own credentials, never the admin's
        HttpResponse<byte[]> anonymous = service.http("GET", "/files/blacklist.txt", null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertEquals(401, service.http("GET", "/files/blacklist.txt", null, "Authorization", ADMIN).statusCode());
        HttpResponse<byte[]> edl = service.http("GET", "/files/blacklist.txt", null, "Authorization", EDL_AUTH);
        assertEquals(200, edl.statusCode());
        // four consecutive addresses fill 89.248.165.8/30 exactly; .6 stays alone
        assertEquals("89.248.165.6\n89.248.165.8/30\n", new String(edl.body(), StandardCharsets.US_ASCII));

        // no SMTP server: the digest is an .eml file in the outbox
        await().atMost(Duration.ofSeconds(10)).until(() -> mailsWithSubject("5 new addresses blocked").size() == 1);
        MimeMessage digest = mailsWithSubject("5 new addresses blocked").get(0);
        String body = (String) digest.getContent();
        assertTrue(body.contains("89.248.165.6") && body.contains("89.248.165.11"), body);
        assertEquals("root@localhost", digest.getAllRecipients()[0].toString());
    }

    @Test
    void aFirewallThatGoesQuietIsReportedOnceAndAgainWhenItIsBack() throws Exception {
        service.execute("INSERT INTO device (name, sender, first_seen, last_seen, lines_received) "
                + "VALUES ('fw-quiet', '192.0.2.7', now() - interval '1 day', now() - interval '5 minutes', 10)");
        await().atMost(Duration.ofSeconds(15)).until(() -> mailsWithSubject("stopped sending logs").stream()
                .anyMatch(m -> content(m).contains("fw-quiet")));
        service.sendUdp("<14>Nov 22 13:00:00 fw-quiet " + PanosLines.traffic(Map.of()));
        await().atMost(Duration.ofSeconds(15)).until(() -> mailsWithSubject("sending logs again").stream()
                .anyMatch(m -> content(m).contains("fw-quiet")));
        // one alert each way, not one per check
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                mailsWithSubject("stopped sending logs").stream().filter(m -> content(m).contains("fw-quiet")).count() == 1);
    }

    private static String line(String body) {
        return "<14>Nov 22 13:00:00 fw-options " + body;
    }

    private static List<MimeMessage> mailsWithSubject(String part) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        if (!Files.isDirectory(outbox)) {
            return found;
        }
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".eml")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
                    if (m.getSubject().contains(part)) {
                        found.add(m);
                    }
                }
            }
        }
        return found;
    }

    private static String content(MimeMessage m) {
        try {
            return (String) m.getContent();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
