package org.activedefense;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * The admin API over real HTTP against the booted service: sessions, CSRF, lockout, roles, every
 * resource and filter, validation errors, the audit log, settings that the next run uses, and a
 * test mail received by a real SMTP server. Tests run in order and build on the traffic sent first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiTest {

    private static final int SMTP_PORT = freePort();
    private static final String PASSWORD = "admin-api-test-password";
    private static final String ADMIN = RunningService.basic("admin", PASSWORD);
    private static final String VIEWER = RunningService.basic("watcher", "viewer-password-123");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withPerMethodLifecycle(false);

    static final String SCANNER = "45.155.205.20";
    static final String OTHER = "80.82.77.40";
    static final String TARGET = "145.1.2.10";

    private static RunningService service;

    @BeforeAll
    static void boot() throws Exception {
        service = RunningService.start("admin-api", Map.of(
                "admin.password", PASSWORD,
                "admin.login.max-failures", "3",
                "policy.own-networks", "145.1.2.0/24",
                "policy.allowlist", "141.98.11.0/24"));
        // traffic: SCANNER on 6 ports of TARGET over TCP from fw-a; OTHER once over UDP from fw-b,
        // with hostile text in every free-text field
        try (Socket tcp = service.openTcp()) {
            StringBuilder b = new StringBuilder();
            for (int port = 1; port <= 6; port++) {
                b.append(line("fw-a", kv(SCANNER, TARGET, 1000 + port, "China", "jdoe", "catch-all deny", "deny")))
                        .append('\n');
            }
            RunningService.write(tcp, b.toString());
        }
        service.sendUdp(line("fw-b", kv(OTHER, "145.1.2.11", 22, "=cmd|' /C calc'!A0", "<script>alert(1)</script>",
                "<img/src/onerror=alert(2)>", "allow")));
        await().atMost(Duration.ofSeconds(20)).until(() -> service.count("SELECT count(*) FROM firewall_log") == 7);
    }

    @AfterAll
    static void shutdown() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void aSessionLoginGivesAnHttpOnlyCookieAndChangesNeedTheCsrfToken() throws Exception {
        HttpResponse<byte[]> wrong = post("/api/session", "{\"username\":\"admin\",\"password\":\"nope\"}");
        assertEquals(401, wrong.statusCode());
        // a browser must not get a basic-auth prompt from the console's login
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").isEmpty());

        HttpResponse<byte[]> login = post("/api/session",
                "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(200, login.statusCode(), text(login));
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("ad_session="), cookie);
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), cookie);
        String session = cookie.substring(0, cookie.indexOf(';'));
        JsonNode who = json(login);
        assertEquals("admin", who.get("username").asText());
        assertEquals("admin", who.get("role").asText());
        String csrf = who.get("csrfToken").asText();
        assertTrue(csrf.length() >= 32);

        HttpResponse<byte[]> me = service.http("GET", "/api/session", null, "Cookie", session);
        assertEquals(200, me.statusCode());
        assertEquals(csrf, json(me).get("csrfToken").asText());

        String add = "{\"network\":\"198.18.0.0/15\",\"comment\":\"csrf check\"}";
        assertEquals(403, service.http("POST", "/api/allowlist", add, "Cookie", session).statusCode(),
                "a change with the cookie but no CSRF token");
        assertEquals(403, service.http("POST", "/api/allowlist", add, "Cookie", session,
                "X-CSRF-Token", "forged").statusCode());
        HttpResponse<byte[]> ok = service.http("POST", "/api/allowlist", add, "Cookie", session, "X-CSRF-Token", csrf);
        assertEquals(201, ok.statusCode(), text(ok));
        service.http("DELETE", "/api/allowlist/" + json(ok).get("id").asText(), null, "Cookie", session,
                "X-CSRF-Token", csrf);

        assertEquals(204, service.http("DELETE", "/api/session", null, "Cookie", session, "X-CSRF-Token", csrf).statusCode());
        assertEquals(401, service.http("GET", "/api/dashboard", null, "Cookie", session).statusCode(),
                "the session ends with the logout");
        // the cookie value is never stored: only its hash
        assertEquals(0, service.count("SELECT count(*) FROM console_session WHERE token_hash = ?",
                session.substring("ad_session=".length())));
    }

    @Test
    @Order(2)
    void failedLoginsLockOutTheirSourceAddressOnly() throws Exception {
        // failures from 127.0.0.2, a second loopback address, while the tests' own 127.0.0.1 goes on
        for (int i = 0; i < 3; i++) {
            assertEquals(401, rawStatus("127.0.0.2", "POST", "/api/session",
                    "{\"username\":\"admin\",\"password\":\"guess" + i + "\"}", null));
        }
        String locked = raw("127.0.0.2", "POST", "/api/session",
                "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}", null);
        assertTrue(locked.startsWith("HTTP/1.1 429"), locked);
        assertTrue(locked.contains("Retry-After:") || locked.contains("retry-after:"), locked);
        assertTrue(locked.contains("too many failed logins from 127.0.0.2"), locked);
        assertTrue(locked.contains("even the right password"), locked);
        // basic auth from the locked address is refused too
        assertEquals(429, rawStatus("127.0.0.2", "GET", "/api/dashboard", null, ADMIN));
        assertEquals(200, service.http("GET", "/api/dashboard", null, "Authorization", ADMIN).statusCode());
        assertTrue(service.count("SELECT count(*) FROM audit WHERE action = 'login.failed' AND source_address = '127.0.0.2'") >= 3);
    }

    @Test
    @Order(3)
    void aViewerReadsButCannotChangeAnything() throws Exception {
        HttpResponse<byte[]> created = service.http("POST", "/api/accounts",
                "{\"username\":\"watcher\",\"password\":\"viewer-password-123\",\"role\":\"viewer\"}",
                "Authorization", ADMIN);
        assertEquals(201, created.statusCode(), text(created));
        assertEquals(409, service.http("POST", "/api/accounts",
                "{\"username\":\"watcher\",\"password\":\"viewer-password-123\",\"role\":\"viewer\"}",
                "Authorization", ADMIN).statusCode());
        HttpResponse<byte[]> shortPassword = service.http("POST", "/api/accounts",
                "{\"username\":\"x\",\"password\":\"short\",\"role\":\"viewer\"}", "Authorization", ADMIN);
        assertEquals(400, shortPassword.statusCode());
        assertEquals("password", json(shortPassword).get("field").asText());

        for (String path : List.of("/api/blacklist", "/api/allowlist", "/api/records", "/api/devices", "/api/settings",
                "/api/detection/runs", "/api/dashboard", "/api/engine")) {
            assertEquals(200, service.http("GET", path, null, "Authorization", VIEWER).statusCode(), path);
        }
        List<String[]> changes = List.of(
                new String[] {"POST", "/api/blacklist", "{\"address\":\"8.8.4.4\",\"reason\":\"x\"}"},
                new String[] {"DELETE", "/api/blacklist/8.8.4.4", null},
                new String[] {"POST", "/api/allowlist", "{\"network\":\"8.8.4.0/24\"}"},
                new String[] {"PUT", "/api/settings", "{\"detect.port-scan.ports\":\"3\"}"},
                new String[] {"PUT", "/api/engine", "{\"running\":false}"},
                new String[] {"POST", "/api/detection/run", null},
                new String[] {"POST", "/api/mail/test", null},
                new String[] {"GET", "/api/accounts", null},
                new String[] {"GET", "/api/audit", null},
                new String[] {"PUT", "/api/devices/fw-a", "{\"timeZone\":\"UTC\"}"});
        for (String[] c : changes) {
            HttpResponse<byte[]> r = service.http(c[0], c[1], c[2], "Authorization", VIEWER);
            assertEquals(403, r.statusCode(), c[0] + " " + c[1]);
            assertTrue(text(r).contains("may only read"), text(r));
        }
        assertEquals(0, service.count("SELECT count(*) FROM blacklist"));
    }

    @Test
    @Order(4)
    void recordsAreFilteredByEveryFilterAndPaged() throws Exception {
        assertEquals(7, records("").size());
        assertEquals(6, records("src=" + SCANNER).size());
        assertEquals(6, records("src=45.155.205.0/24").size());
        assertEquals(1, records("dst=145.1.2.11").size());
        assertEquals(7, records("dst=145.1.2.0/24").size());
        assertEquals(1, records("dport=1003").size());
        assertEquals(6, records("sport=40000&device=fw-a").size());
        assertEquals(1, records("device=fw-b").size());
        assertEquals(6, records("srcCountry=China").size());
        assertEquals(7, records("dstCountry=10.0.0.0-10.255.255.255").size());
        assertEquals(6, records("srcUser=jdoe").size());
        assertEquals(7, records("type=TRAFFIC").size());
        assertEquals(1, records("action=allow").size());
        assertEquals(6, records("rule=catch-all%20deny").size());
        assertEquals(0, records("severity=critical").size());
        assertEquals(7, records("range=1h").size());
        String from = Instant.now().minus(1, ChronoUnit.HOURS).toString();
        assertEquals(7, records("from=" + from).size());
        assertEquals(0, records("from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z").size());

        JsonNode page = get("/api/records?limit=4");
        assertEquals(4, page.get("records").size());
        assertTrue(page.get("hasMore").asBoolean());
        JsonNode rest = get("/api/records?limit=4&offset=4");
        assertEquals(3, rest.get("records").size());
        assertFalse(rest.get("hasMore").asBoolean());
        // newest first
        List<String> times = new ArrayList<>();
        get("/api/records").get("records").forEach(r -> times.add(r.get("receivedAt").asText()));
        List<String> sorted = new ArrayList<>(times);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertEquals(sorted, times);

        // hostile text comes back as the data it is (JSON-escaped), never interpreted
        JsonNode hostile = get("/api/records?device=fw-b").get("records").get(0);
        assertEquals("<script>alert(1)</script>", hostile.get("srcUser").asText());
        assertEquals("<img/src/onerror=alert(2)>", hostile.get("rule").asText());
        assertEquals("=cmd|' /C calc'!A0", hostile.get("srcCountry").asText());
    }

    @Test
    @Order(5)
    void badFiltersAreRefusedNamingTheParameter() throws Exception {
        Map<String, String> bad = Map.of(
                "src=999.1.1.1", "src",
                "dst=10.0.0.0/33", "dst",
                "dport=70000", "dport",
                "sport=abc", "sport",
                "range=2y", "range",
                "from=yesterday", "from",
                "limit=0", "limit",
                "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from",
                "src=1.2.3.4&src=5.6.7.8", "src");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            HttpResponse<byte[]> r = service.http("GET", "/api/records?" + e.getKey(), null, "Authorization", ADMIN);
            assertEquals(400, r.statusCode(), e.getKey());
            assertEquals(e.getValue(), json(r).get("field").asText(), e.getKey() + " " + text(r));
        }
    }

    @Test
    @Order(6)
    void csvExportNeutralisesFormulasAndKeepsTheFilters() throws Exception {
        HttpResponse<byte[]> r = service.http("GET", "/api/records/export.csv?device=fw-b", null, "Authorization", ADMIN);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").contains("attachment"));
        String csv = text(r);
        String[] lines = csv.split("\r\n");
        assertEquals(2, lines.length, csv);
        assertTrue(lines[0].startsWith("receivedAt,generatedAt,device,sender,type"), lines[0]);
        assertTrue(lines[1].contains(",'=cmd|' /C calc'!A0,"), lines[1]);
        assertFalse(csv.contains(",=cmd"), csv);
        assertEquals(7, text(service.http("GET", "/api/records/export.csv", null, "Authorization", ADMIN))
                .split("\r\n").length - 1);
    }

    @Test
    @Order(7)
    void anAddressIsBlacklistedByHandOnlyWhenItIsOnePublicUnprotectedAddress() throws Exception {
        Map<String, String> refused = Map.of(
                "10.1.2.3", "private address",
                "145.1.2.99", "our own network",
                "141.98.11.7", "allowlisted",
                "8.8.8.0/24", "not a single IP address",
                "not-an-ip", "not a single IP address",
                "08.8.8.8", "not a single IP address",
                "203.0.113.5", "documentation");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            HttpResponse<byte[]> r = service.http("POST", "/api/blacklist",
                    "{\"address\":\"" + e.getKey() + "\",\"reason\":\"test\"}", "Authorization", ADMIN);
            assertEquals(400, r.statusCode(), e.getKey());
            assertEquals("address", json(r).get("field").asText());
            assertTrue(json(r).get("error").asText().contains(e.getValue()), text(r));
        }
        HttpResponse<byte[]> noReason = service.http("POST", "/api/blacklist", "{\"address\":\"8.8.4.4\"}",
                "Authorization", ADMIN);
        assertEquals(400, noReason.statusCode());
        assertEquals("reason", json(noReason).get("field").asText());

        HttpResponse<byte[]> added = service.http("POST", "/api/blacklist",
                "{\"address\":\"" + OTHER + "\",\"reason\":\"seen brute-forcing VPN\"}", "Authorization", ADMIN);
        assertEquals(201, added.statusCode(), text(added));
        assertEquals("manual", json(added).get("source").asText());
        assertEquals("admin", json(added).get("addedBy").asText());
        assertEquals(409, service.http("POST", "/api/blacklist",
                "{\"address\":\"" + OTHER + "\",\"reason\":\"again\"}", "Authorization", ADMIN).statusCode());
        assertEquals(OTHER + "\n", service.get("/files/blacklist.txt").body());

        JsonNode detail = get("/api/blacklist/" + OTHER);
        assertTrue(detail.get("listed").asBoolean());
        assertEquals("seen brute-forcing VPN", detail.get("entry").get("reason").asText());
        assertEquals(1, get("/api/blacklist?source=manual").size());
        assertEquals(0, get("/api/blacklist?case=port-scan").size());
        assertEquals(1, get("/api/blacklist?q=80.82.0.0/16").size());

        assertEquals(204, service.http("DELETE", "/api/blacklist/" + OTHER, null, "Authorization", ADMIN).statusCode());
        assertEquals("", service.get("/files/blacklist.txt").body());
        assertEquals(404, service.http("DELETE", "/api/blacklist/" + OTHER, null, "Authorization", ADMIN).statusCode());
        JsonNode after = get("/api/blacklist/" + OTHER);
        assertFalse(after.get("listed").asBoolean());
        assertEquals("removed by admin", after.get("history").get(0).get("removal").asText());
        assertEquals(404, service.http("GET", "/api/blacklist/1.1.1.1", null, "Authorization", ADMIN).statusCode());
    }

    @Test
    @Order(8)
    void aBlacklistedAddressMovesToTheAllowlistAndLeavesTheEdl() throws Exception {
        service.http("POST", "/api/blacklist", "{\"address\":\"" + OTHER + "\",\"reason\":\"again\"}", "Authorization", ADMIN);
        assertEquals(OTHER + "\n", service.get("/files/blacklist.txt").body());
        HttpResponse<byte[]> moved = service.http("POST", "/api/blacklist/" + OTHER + "/allowlist",
                "{\"comment\":\"our partner's VPN\"}", "Authorization", ADMIN);
        assertEquals(201, moved.statusCode(), text(moved));
        assertEquals(OTHER, json(moved).get("network").asText());
        assertEquals("", service.get("/files/blacklist.txt").body());
        HttpResponse<byte[]> again = service.http("POST", "/api/blacklist",
                "{\"address\":\"" + OTHER + "\",\"reason\":\"x\"}", "Authorization", ADMIN);
        assertEquals(400, again.statusCode(), "now allowlisted");
        assertTrue(text(again).contains("our partner's VPN"), text(again));

        JsonNode allowlist = get("/api/allowlist");
        assertEquals("properties", allowlist.get(0).get("source").asText());
        assertEquals("141.98.11.0/24", allowlist.get(0).get("network").asText());
        JsonNode entry = allowlist.get(1);
        assertEquals("database", entry.get("source").asText());

        HttpResponse<byte[]> badCidr = service.http("POST", "/api/allowlist", "{\"network\":\"300.1.1.0/24\"}",
                "Authorization", ADMIN);
        assertEquals(400, badCidr.statusCode());
        assertEquals("network", json(badCidr).get("field").asText());
        HttpResponse<byte[]> past = service.http("POST", "/api/allowlist",
                "{\"network\":\"192.0.2.0/24\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}", "Authorization", ADMIN);
        assertEquals("expiresAt", json(past).get("field").asText());
        HttpResponse<byte[]> withExpiry = service.http("POST", "/api/allowlist",
                "{\"network\":\"93.184.216.7/24\",\"comment\":\"cdn\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}",
                "Authorization", ADMIN);
        assertEquals(201, withExpiry.statusCode());
        assertEquals("93.184.216.0/24", json(withExpiry).get("network").asText(), "host bits cleared");
        assertEquals(204, service.http("DELETE", "/api/allowlist/" + json(withExpiry).get("id").asText(), null,
                "Authorization", ADMIN).statusCode());
        assertEquals(404, service.http("DELETE", "/api/allowlist/" + json(withExpiry).get("id").asText(), null,
                "Authorization", ADMIN).statusCode());
    }

    @Test
    @Order(9)
    void aChangedThresholdIsUsedByTheNextRunAndAuditedWithoutARestart() throws Exception {
        JsonNode settings = get("/api/settings");
        JsonNode ports = find(settings, "detect.port-scan.ports");
        assertEquals("10", ports.get("value").asText());
        assertEquals("properties", ports.get("source").asText());

        // 6 ports is under the default threshold: nothing listed
        assertEquals(0, run().get("added").size());
        HttpResponse<byte[]> changed = service.http("PUT", "/api/settings", "{\"detect.port-scan.ports\": 5}",
                "Authorization", ADMIN);
        assertEquals(200, changed.statusCode(), text(changed));
        JsonNode now = find(json(changed), "detect.port-scan.ports");
        assertEquals("5", now.get("value").asText());
        assertEquals("database", now.get("source").asText());
        assertEquals("10", now.get("default").asText());
        JsonNode second = run();
        assertEquals(SCANNER, second.get("added").get(0).get("address").asText(), second.toString());
        assertEquals(SCANNER + "\n", service.get("/files/blacklist.txt").body());

        JsonNode runs = get("/api/detection/runs");
        assertEquals(2, runs.size());
        JsonNode detail = get("/api/detection/runs/" + runs.get(0).get("id").asText());
        assertEquals("new", detail.get("findings").get(0).get("outcome").asText());
        assertEquals(404, service.http("GET", "/api/detection/runs/999999", null, "Authorization", ADMIN).statusCode());

        assertEquals(204, service.http("DELETE", "/api/settings/detect.port-scan.ports", null, "Authorization", ADMIN)
                .statusCode());
        assertEquals("properties", find(get("/api/settings"), "detect.port-scan.ports").get("source").asText());

        JsonNode audit = get("/api/audit?limit=20");
        JsonNode change = null;
        for (JsonNode a : audit) {
            if (a.get("action").asText().equals("settings.change")) {
                change = a;
            }
        }
        assertNotNull(change, audit.toString());
        assertEquals("admin", change.get("username").asText());
        assertEquals("127.0.0.1", change.get("sourceAddress").asText());
        assertEquals("10", change.get("before").get("detect.port-scan.ports").asText());
        assertEquals("5", change.get("after").get("detect.port-scan.ports").asText());
    }

    @Test
    @Order(10)
    void invalidSettingsAreRefusedAndNothingIsStored() throws Exception {
        Map<String, String> bad = Map.of(
                "{\"detect.port-scan.window-minutes\": -5}", "detect.port-scan.window-minutes",
                "{\"detect.cron\": \"every five minutes\"}", "detect.cron",
                "{\"detect.vulnerability.level\": 3}", "detect.vulnerability.level",
                "{\"mail.to\": \"root@localhost\\r\\nBcc: victim@example.org\"}", "mail.to",
                "{\"detect.simulate-cases\": \"port-scan,everything\"}", "detect.simulate-cases",
                "{\"no.such.setting\": 1}", "no.such.setting",
                "{\"detect.port-scan.ports\": 4, \"blacklist.block-window-days\": 0}", "blacklist.block-window-days");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            HttpResponse<byte[]> r = service.http("PUT", "/api/settings", e.getKey(), "Authorization", ADMIN);
            assertEquals(400, r.statusCode(), e.getKey());
            assertEquals(e.getValue(), json(r).get("field").asText(), text(r));
        }
        assertEquals(0, service.count("SELECT count(*) FROM setting"), "one bad value stores nothing");
    }

    @Test
    @Order(11)
    void aNewCronReschedulesDetectionAtOnce() throws Exception {
        long before = service.count("SELECT count(*) FROM detection_run WHERE trigger = 'schedule'");
        assertEquals(0, before);
        assertEquals(200, service.http("PUT", "/api/settings", "{\"detect.cron\": \"0/2 * * * * ?\"}",
                "Authorization", ADMIN).statusCode());
        await().atMost(Duration.ofSeconds(20)).until(
                () -> service.count("SELECT count(*) FROM detection_run WHERE trigger = 'schedule'") > 0);
        // off and on again keeps the console's schedule
        service.http("PUT", "/api/engine", "{\"running\": false}", "Authorization", ADMIN);
        service.http("PUT", "/api/engine", "{\"running\": true}", "Authorization", ADMIN);
        long afterRestart = service.count("SELECT count(*) FROM detection_run WHERE trigger = 'schedule'");
        await().atMost(Duration.ofSeconds(20)).until(
                () -> service.count("SELECT count(*) FROM detection_run WHERE trigger = 'schedule'") > afterRestart);
        assertEquals(204, service.http("DELETE", "/api/settings/detect.cron", null, "Authorization", ADMIN).statusCode());
        assertTrue(service.count("SELECT count(*) FROM audit WHERE action = 'engine.change'") >= 2);
    }

    @Test
    @Order(12)
    void devicesShowLastSeenAndTakeATimeZone() throws Exception {
        JsonNode devices = get("/api/devices");
        assertEquals(2, devices.size());
        JsonNode a = devices.get(0);
        assertEquals("fw-a", a.get("name").asText());
        assertEquals(6, a.get("linesTotal").asLong());
        assertFalse(a.get("silent").asBoolean());
        HttpResponse<byte[]> set = service.http("PUT", "/api/devices/fw-a", "{\"timeZone\":\"Europe/Berlin\"}",
                "Authorization", ADMIN);
        assertEquals(200, set.statusCode(), text(set));
        assertEquals("Europe/Berlin", json(set).get("timeZone").asText());
        assertEquals("Europe/Berlin", json(set).get("effectiveTimeZone").asText());
        HttpResponse<byte[]> bad = service.http("PUT", "/api/devices/fw-a", "{\"timeZone\":\"Mars/Olympus\"}",
                "Authorization", ADMIN);
        assertEquals(400, bad.statusCode());
        assertEquals("timeZone", json(bad).get("field").asText());
        assertEquals(404, service.http("PUT", "/api/devices/nope", "{\"timeZone\":\"UTC\"}", "Authorization", ADMIN)
                .statusCode());

        // the parser reads fw-a's local times in Berlin from now on: 13:00 there is 12:00 UTC
        try (Socket tcp = service.openTcp()) {
            RunningService.write(tcp, line("fw-a", kv("45.155.205.30", TARGET, 9, "China", "tz", "tz-rule", "deny")) + "\n");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> service.count(
                "SELECT count(*) FROM firewall_log WHERE rule_name = 'tz-rule'") == 1);
        assertEquals(1, service.count("SELECT count(*) FROM firewall_log WHERE rule_name = 'tz-rule' "
                + "AND generated_at = '2026-11-22T12:00:00Z'"));

        JsonNode dashboard = get("/api/dashboard");
        assertEquals(2, dashboard.get("devices").size());
        assertEquals(1, dashboard.get("blacklistSize").asLong());
        assertEquals(96, dashboard.get("lines24h").size());
        assertTrue(dashboard.get("engine").get("running").asBoolean());
        assertNotNull(dashboard.get("lastRun"));
    }

    @Test
    @Order(13)
    void aTestMailGoesThroughTheSmtpServerAsSetInTheConsole() throws Exception {
        HttpResponse<byte[]> none = service.http("POST", "/api/mail/test", null, "Authorization", ADMIN);
        assertEquals(409, none.statusCode(), "no SMTP server set: " + text(none));

        assertEquals(200, service.http("PUT", "/api/settings", "{\"mail.smtp.host\": \"127.0.0.1\", \"mail.smtp.port\": "
                + SMTP_PORT + ", \"mail.to\": \"soc@example.org, lead@example.org\"}", "Authorization", ADMIN).statusCode());
        HttpResponse<byte[]> sent = service.http("POST", "/api/mail/test", null, "Authorization", ADMIN);
        assertEquals(200, sent.statusCode(), text(sent));
        assertTrue(SMTP.waitForIncomingEmail(10_000, 2));
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        assertEquals("ActiveDefense test mail", mail.getSubject());

        HttpResponse<byte[]> other = service.http("POST", "/api/mail/test", "{\"to\":\"Bcc: x@example.org\"}",
                "Authorization", ADMIN);
        assertEquals(400, other.statusCode());
        assertEquals("to", json(other).get("field").asText());

        assertEquals(200, service.http("PUT", "/api/settings", "{\"mail.smtp.port\": " + freePort() + "}",
                "Authorization", ADMIN).statusCode());
        HttpResponse<byte[]> failed = service.http("POST", "/api/mail/test", null, "Authorization", ADMIN);
        assertEquals(502, failed.statusCode(), text(failed));
        assertTrue(json(failed).get("error").asText().contains("did not take the mail"), text(failed));

        HttpResponse<byte[]> secret = service.http("PUT", "/api/settings", "{\"mail.smtp.password\": \"s3cret-value\"}",
                "Authorization", ADMIN);
        assertEquals("********", find(json(secret), "mail.smtp.password").get("value").asText());
        assertFalse(text(service.http("GET", "/api/audit", null, "Authorization", ADMIN)).contains("s3cret-value"));
    }

    @Test
    @Order(14)
    void passwordsChangeAndOldCredentialsStopWorkingAtOnce() throws Exception {
        HttpResponse<byte[]> wrong = service.http("PUT", "/api/account/password",
                "{\"currentPassword\":\"wrong\",\"newPassword\":\"a-new-password-42\"}", "Authorization", VIEWER);
        assertEquals(403, wrong.statusCode());
        HttpResponse<byte[]> tooShort = service.http("PUT", "/api/account/password",
                "{\"currentPassword\":\"viewer-password-123\",\"newPassword\":\"short\"}", "Authorization", VIEWER);
        assertEquals(400, tooShort.statusCode());
        assertEquals("newPassword", json(tooShort).get("field").asText());
        assertEquals(204, service.http("PUT", "/api/account/password",
                "{\"currentPassword\":\"viewer-password-123\",\"newPassword\":\"a-new-password-42\"}",
                "Authorization", VIEWER).statusCode());
        assertEquals(401, service.http("GET", "/api/blacklist", null, "Authorization", VIEWER).statusCode());
        assertEquals(200, service.http("GET", "/api/blacklist", null, "Authorization",
                RunningService.basic("watcher", "a-new-password-42")).statusCode());
        String hash = service.rows("SELECT password_hash FROM account WHERE username = 'watcher'").get(0).get("password_hash");
        assertTrue(hash.startsWith("$argon2id$"), hash);

        assertEquals(409, service.http("DELETE", "/api/accounts/admin", null, "Authorization", ADMIN).statusCode(),
                "an admin cannot delete themselves");
        assertEquals(204, service.http("DELETE", "/api/accounts/watcher", null, "Authorization", ADMIN).statusCode());
        assertEquals(1, get("/api/accounts").size());
    }

    @Test
    @Order(15)
    void everyAnswerCarriesSecurityHeadersAndTheApiIsDescribed() throws Exception {
        HttpResponse<byte[]> r = service.http("GET", "/api/blacklist", null, "Authorization", ADMIN);
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<byte[]> denied = service.http("GET", "/api/blacklist", null);
        assertEquals(401, denied.statusCode());
        assertTrue(denied.headers().firstValue("Content-Security-Policy").isPresent());

        HttpResponse<byte[]> doc = service.http("GET", "/api/openapi.json", null);
        assertEquals(200, doc.statusCode());
        JsonNode openapi = json(doc);
        assertTrue(openapi.get("openapi").asText().startsWith("3."), text(doc));
        assertTrue(openapi.get("paths").has("/api/records"), openapi.get("paths").toString());
        assertTrue(openapi.get("paths").has("/api/blacklist/{address}"));
        // health and the EDL need no login
        assertEquals(200, service.http("GET", "/observe/health", null).statusCode());
        assertEquals(200, service.http("GET", "/files/blacklist.txt", null).statusCode());
    }

    // --- helpers

    private static JsonNode run() throws Exception {
        HttpResponse<byte[]> r = service.http("POST", "/api/detection/run", null, "Authorization", ADMIN);
        assertEquals(200, r.statusCode(), text(r));
        return json(r);
    }

    private static JsonNode records(String query) throws Exception {
        return get("/api/records?limit=1000&" + query).get("records");
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<byte[]> r = service.http("GET", path, null, "Authorization", ADMIN);
        assertEquals(200, r.statusCode(), path + ": " + text(r));
        return json(r);
    }

    private static HttpResponse<byte[]> post(String path, String body) throws Exception {
        return service.http("POST", path, body, "Content-Type", "application/json");
    }

    private static JsonNode find(JsonNode settings, String key) {
        for (JsonNode s : settings) {
            if (s.get("key").asText().equals(key)) {
                return s;
            }
        }
        throw new AssertionError("no setting " + key + " in " + settings);
    }

    /** An HTTP/1.1 request from a chosen local address (to test per-address lockout); the whole answer. */
    private static String raw(String from, String method, String path, String body, String authorization) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", service.httpPort), 5000);
            s.setSoTimeout(10_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static int rawStatus(String from, String method, String path, String body, String authorization) throws Exception {
        String answer = raw(from, method, path, body, authorization);
        return Integer.parseInt(answer.substring(9, 12));
    }

    static String kv(String src, String dst, int port, String srcCountry, String user, String rule, String action) {
        return PanosLines.keyValue(Map.ofEntries(Map.entry("SrcLocation", srcCountry), Map.entry("SrcIP", src),
                Map.entry("SrcPort", "40000"), Map.entry("SrcUser", user),
                Map.entry("DstLocation", "10.0.0.0-10.255.255.255"), Map.entry("DstIP", dst),
                Map.entry("DstPort", String.valueOf(port)), Map.entry("Action", action),
                Map.entry("RuleName", rule), Map.entry("TimeReceived", "2026/11/22 13:00:00"),
                Map.entry("Subtype", "end"), Map.entry("Type", "TRAFFIC")));
    }

    static String line(String device, String body) {
        return "<14>Nov 22 13:00:00 " + device + " " + body;
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try {
            return RunningService.freeTcpPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
