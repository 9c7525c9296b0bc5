package org.activedefense;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest flow end to end: real UDP datagrams and TCP streams into the running service, typed
 * rows read back from its PostgreSQL. Each test uses its own device names, so counts are exact.
 */
class IngestTest {

    private static RunningService service;

    private static final String ADMIN = RunningService.basic("admin", "Ingest-Test-Admin-1");

    @BeforeAll
    static void boot() throws Exception {
        service = RunningService.start("ingest", Map.of(
                "admin.password", "Ingest-Test-Admin-1",
                "ingest.default-time-zone", "UTC",
                "ingest.device-time-zones", "fw-berlin=Europe/Berlin",
                "syslog.max-frame-bytes", "8192"));
    }

    @AfterAll
    static void shutdown() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void csvTrafficOverUdpIsStoredColumnByColumn() throws Exception {
        String line = "<14>Nov 22 13:00:00 fw-udp-csv " + PanosLines.traffic(Map.of());
        service.sendUdp(line);

        Map<String, String> row = awaitOneRow("fw-udp-csv");
        assertEquals("fw-udp-csv", row.get("device"));
        assertEquals("127.0.0.1", row.get("sender"));
        assertEquals("csv", row.get("format"));
        assertEquals("TRAFFIC", row.get("log_type"));
        assertEquals("drop", row.get("subtype"));
        assertEquals("203.0.113.50", row.get("src_ip"));
        assertEquals("198.51.100.10", row.get("dst_ip"));
        assertEquals("51515", row.get("src_port"));
        assertEquals("3389", row.get("dst_port"));
        assertEquals("China", row.get("src_location"));
        assertEquals("10.0.0.0-10.255.255.255", row.get("dst_location"));
        assertEquals("untrust", row.get("src_zone"));
        assertEquals("trust", row.get("dst_zone"));
        assertEquals("interzone-default", row.get("rule_name"));
        assertEquals("deny", row.get("action"));
        assertEquals("tcp", row.get("protocol"));
        assertEquals("not-applicable", row.get("application"));
        assertEquals(null, row.get("threat_name"));
        assertEquals("2026-11-22 12:59:58+00", row.get("generated_utc"));
        assertEquals(line, row.get("raw"));
        assertNotNull(row.get("received_at"));
    }

    @Test
    void csvThreatWithQuotedCommaAndParenthesesInThreatName() throws Exception {
        String line = "<14>Nov 22 13:00:01 fw-berlin " + PanosLines.threat(Map.of());
        service.sendUdp(line);

        Map<String, String> row = awaitOneRow("fw-berlin");
        assertEquals("THREAT", row.get("log_type"));
        assertEquals("vulnerability", row.get("subtype"));
        assertEquals("192.0.2.66", row.get("src_ip"));
        assertEquals("198.51.100.20", row.get("dst_ip"));
        assertEquals("80", row.get("dst_port"));
        assertEquals("reset-both", row.get("action"));
        assertEquals("Bash Remote Code Execution Vulnerability (CVE-2014-6271)", row.get("threat_name"));
        assertEquals("36729", row.get("threat_id"));
        assertEquals("critical", row.get("severity"));
        assertEquals("Netherlands", row.get("src_location"));
        assertEquals("7a8b0c1d-1111-2222-3333-444455556666", row.get("rule_uuid"));
        assertEquals("web-browsing", row.get("application"));
        // the device's own clock is Berlin time (UTC+1 in November)
        assertEquals("2026-11-22 12:00:01+00", row.get("generated_utc"));
    }

    @Test
    void keyValueFormatOverTcpIsStoredColumnByColumn() throws Exception {
        String body = PanosLines.keyValue(Map.ofEntries(
                Map.entry("SrcLocation", "Russian Federation"), Map.entry("SrcIP", "203.0.113.77"),
                Map.entry("SrcPort", "44123"), Map.entry("SrcUser", ""),
                Map.entry("DstLocation", "10.0.0.0-10.255.255.255"), Map.entry("DstIP", "198.51.100.30"),
                Map.entry("DstPort", "445"), Map.entry("Action", "reset-both"),
                Map.entry("RuleName", "Active Defense Deny"), Map.entry("RuleID", "0b6c2c0e-9b7f-4bb5-8a52-1c9d2e0c7f11"),
                Map.entry("TimeReceived", "2026/11/22 13:05:00"),
                Map.entry("ThreatName", "Microsoft Windows SMBv1 Multiple Vulnerabilities (MS17-010)"),
                Map.entry("ThreatID", "Microsoft Windows SMBv1 Multiple Vulnerabilities (MS17-010)(41234)"),
                Map.entry("Severity", "critical"), Map.entry("Subtype", "vulnerability"), Map.entry("Type", "THREAT")));
        String line = "<14>Nov 22 13:05:00 fw-tcp-kv " + body;
        try (Socket s = service.openTcp()) {
            RunningService.write(s, line + "\n");
        }

        Map<String, String> row = awaitOneRow("fw-tcp-kv");
        assertEquals("kv", row.get("format"));
        assertEquals("THREAT", row.get("log_type"));
        assertEquals("vulnerability", row.get("subtype"));
        assertEquals("203.0.113.77", row.get("src_ip"));
        assertEquals("44123", row.get("src_port"));
        assertEquals("198.51.100.30", row.get("dst_ip"));
        assertEquals("445", row.get("dst_port"));
        assertEquals("Russian Federation", row.get("src_location"));
        assertEquals("reset-both", row.get("action"));
        assertEquals("Active Defense Deny", row.get("rule_name"));
        assertEquals("0b6c2c0e-9b7f-4bb5-8a52-1c9d2e0c7f11", row.get("rule_uuid"));
        assertEquals("41234", row.get("threat_id"));
        assertEquals("critical", row.get("severity"));
        assertEquals(null, row.get("src_user"));
        assertEquals("2026-11-22 13:05:00+00", row.get("generated_utc"));
        assertEquals(line, row.get("raw"));
    }

    @Test
    void tcpLineFramingWithManyFramesPerWriteAndFramesSplitAcrossWrites() throws Exception {
        String a = "<14>Nov 22 13:00:00 fw-lf " + PanosLines.traffic(Map.of(25, "22"));
        String b = "<14>Nov 22 13:00:00 fw-lf " + PanosLines.traffic(Map.of(25, "23"));
        String c = "<14>Nov 22 13:00:00 fw-lf " + PanosLines.traffic(Map.of(25, "24"));
        String d = "<14>Nov 22 13:00:00 fw-lf " + PanosLines.traffic(Map.of(25, "25"));
        try (Socket s = service.openTcp()) {
            RunningService.write(s, a + "\n" + b + "\r\n" + c.substring(0, 40));
            pause();
            RunningService.write(s, c.substring(40, 100));
            pause();
            RunningService.write(s, c.substring(100) + "\n" + d); // the last line ends with the connection
        }
        awaitCount("SELECT count(*) FROM firewall_log WHERE device = 'fw-lf'", 4);
        assertEquals(List.of("22", "23", "24", "25"), column(
                "SELECT dst_port FROM firewall_log WHERE device = 'fw-lf' ORDER BY dst_port", "dst_port"));
    }

    @Test
    void tcpOctetCountedFramingWithManyFramesPerWriteAndFramesSplitAcrossWrites() throws Exception {
        String a = RunningService.octetCounted("<14>1 2026-11-22T13:00:00+00:00 fw-octet - - - - "
                + PanosLines.traffic(Map.of(25, "1001")));
        String b = RunningService.octetCounted("<14>1 2026-11-22T13:00:00+00:00 fw-octet - - - - "
                + PanosLines.traffic(Map.of(25, "1002", 41, "\"Café, \"\"quoted\"\" ünïcode\"")));
        String c = RunningService.octetCounted("<14>1 2026-11-22T13:00:00+00:00 fw-octet - - - - "
                + PanosLines.traffic(Map.of(25, "1003")));
        byte[] all = (a + b + c).getBytes(StandardCharsets.UTF_8);
        try (Socket s = service.openTcp()) {
            // split inside the first count, inside a multi-byte character, and inside the last frame
            int[] cuts = {2, a.length() + 200, all.length - 10};
            int from = 0;
            for (int cut : cuts) {
                RunningService.write(s, java.util.Arrays.copyOfRange(all, from, cut));
                pause();
                from = cut;
            }
            RunningService.write(s, java.util.Arrays.copyOfRange(all, from, all.length));
        }
        awaitCount("SELECT count(*) FROM firewall_log WHERE device = 'fw-octet'", 3);
        assertEquals(List.of("1001", "1002", "1003"), column(
                "SELECT dst_port FROM firewall_log WHERE device = 'fw-octet' ORDER BY dst_port", "dst_port"));
        // commas, quotes and multi-byte characters inside a counted frame are data
        assertEquals(List.of("Café, \"quoted\" ünïcode"), column(
                "SELECT src_location FROM firewall_log WHERE device = 'fw-octet' AND dst_port = 1002", "src_location"));
    }

    @Test
    void oversizedFramesAreKeptAsRejectionsAndTheConnectionGoesOn() throws Exception {
        String big = "<14>Nov 22 13:00:00 fw-big " + PanosLines.traffic(Map.of(41, "x".repeat(10_000)));
        String good = "<14>Nov 22 13:00:00 fw-big " + PanosLines.traffic(Map.of());
        long rejectedBefore = service.count("SELECT count(*) FROM rejected_line WHERE reason LIKE '%max-frame-bytes%'");
        try (Socket s = service.openTcp()) {
            RunningService.write(s, big + "\n" + good + "\n");
        }
        try (Socket s = service.openTcp()) {
            RunningService.write(s, RunningService.octetCounted(big) + RunningService.octetCounted(good));
        }
        service.sendUdp("<14>Nov 22 13:00:00 fw-big " + "y".repeat(9000));
        awaitCount("SELECT count(*) FROM firewall_log WHERE device = 'fw-big'", 2);
        awaitCount("SELECT count(*) FROM rejected_line WHERE reason LIKE '%max-frame-bytes%'", rejectedBefore + 3);
        List<Map<String, String>> rejects = service.rows(
                "SELECT transport, reason, raw FROM rejected_line WHERE reason LIKE '%max-frame-bytes%' ORDER BY id DESC LIMIT 3");
        assertTrue(rejects.stream().allMatch(r -> r.get("raw").startsWith("<14>Nov 22 13:00:00 fw-big ")), rejects.toString());
        assertTrue(rejects.stream().allMatch(r -> r.get("raw").length() <= 512), "only the start of a refused frame is kept");
    }

    @Test
    void unreadableOctetCountClosesOnlyThatConnection() throws Exception {
        String good = "<14>Nov 22 13:00:00 fw-resync " + PanosLines.traffic(Map.of());
        try (Socket s = service.openTcp()) {
            RunningService.write(s, RunningService.octetCounted(good) + "12x garbage where a count belongs\n");
            // the service closes the connection: reading sees end of stream
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read());
        }
        try (Socket s = service.openTcp()) {
            RunningService.write(s, RunningService.octetCounted(good));
        }
        awaitCount("SELECT count(*) FROM firewall_log WHERE device = 'fw-resync'", 2);
        awaitCount("SELECT count(*) FROM rejected_line WHERE reason LIKE 'unreadable octet-counted framing%'", 1);
    }

    @Test
    void hostileInputIsStoredAsDataOrRejectedWithAReasonAndListenersKeepServing() throws Exception {
        long rejectedBefore = service.count("SELECT count(*) FROM rejected_line");
        String sql = "'; DROP TABLE firewall_log; --";
        String html = "<script>alert(1)</script>";
        String img = "<img src=x onerror=alert(1)>";
        String hostileKv = PanosLines.keyValue(Map.ofEntries(
                Map.entry("SrcLocation", sql), Map.entry("SrcIP", "203.0.113.9"), Map.entry("SrcPort", "1"),
                Map.entry("SrcUser", html), Map.entry("DstLocation", html), Map.entry("DstIP", "198.51.100.9"),
                Map.entry("DstPort", "2"), Map.entry("Action", sql), Map.entry("RuleName", html),
                Map.entry("RuleID", sql), Map.entry("TimeReceived", "2026/11/22 13:00:00"),
                Map.entry("ThreatName", html), Map.entry("ThreatID", html + "(1)"), Map.entry("Severity", sql),
                Map.entry("Subtype", html), Map.entry("Type", "THREAT")));
        String hostileCsv = PanosLines.traffic(Map.of(11, "\"" + sql.replace("\"", "\"\"") + "\"", 12, html + img,
                16, "\\N", 17, "tab\there", 41, "back\\slash"));

        // stored, as data
        service.sendUdp("<14>Nov 22 13:00:00 fw-hostile " + hostileKv);
        service.sendUdp("<14>Nov 22 13:00:00 fw-hostile " + hostileCsv);
        // rejected, each with a reason
        service.sendUdp(new byte[] {(byte) 0xff, 0x00, 0x13, (byte) 0x80, 0x7f, 0x01, 0x02});   // binary garbage
        // in key=value, "src=x" inside a value reads as a second source address: ambiguous, never guessed
        service.sendUdp("<14>Nov 22 13:00:00 fw-hostile " + hostileKv.replace("SrcUser=" + html, "SrcUser=" + img));
        service.sendUdp("<14>Nov 22 13:00:00 fw-hostile ");                                      // header, no body
        service.sendUdp("<14>Nov 22 13:00:00 fw-hostile " + PanosLines.traffic(Map.of(12, "nul\0byte")));
        service.sendUdp("<14>Nov 22 13:00:00 fw-hostile " + PanosLines.traffic(Map.of(25, "99999")));
        service.sendUdp("<14>Nov 22 13:00:00 fw-hostile " + PanosLines.traffic(Map.of(7, "999.1.1.1")));
        String withMarker = "<14>Nov 22 13:00:00 fw-hostile " + PanosLines.traffic(Map.of(12, "AB"));
        byte[] invalidUtf8 = withMarker.getBytes(StandardCharsets.ISO_8859_1);
        invalidUtf8[withMarker.indexOf(",AB,") + 1] = (byte) 0xC3; // a lone UTF-8 lead byte inside the user field
        service.sendUdp(invalidUtf8);
        try (Socket s = service.openTcp()) {
            // a 1 MiB line: over the frame limit, refused and skipped, then the stream goes on
            RunningService.write(s, "z".repeat(1 << 20) + "\n");
            RunningService.write(s, "<14>Nov 22 13:00:00 fw-hostile " + PanosLines.traffic(Map.of(25, "7")) + "\n");
        }

        // 2 hostile-but-valid lines + the invalid-UTF-8 line (decoded with U+FFFD) + the line after the 1 MiB one
        awaitCount("SELECT count(*) FROM firewall_log WHERE device = 'fw-hostile'", 4);
        // garbage, ambiguous key=value, no body, NUL, port 99999, address 999.1.1.1, the 1 MiB line
        awaitCount("SELECT count(*) FROM rejected_line", rejectedBefore + 7);

        Map<String, String> kv = service.rows("SELECT * FROM firewall_log WHERE device = 'fw-hostile' AND format = 'kv'").get(0);
        assertEquals(sql, kv.get("src_location"));
        assertEquals(html, kv.get("src_user"));
        assertEquals(html, kv.get("rule_name"));
        assertEquals(sql, kv.get("action"));
        assertEquals(html, kv.get("threat_name"));
        Map<String, String> csv = service.rows(
                "SELECT * FROM firewall_log WHERE device = 'fw-hostile' AND format = 'csv' AND src_zone = '\\N'").get(0);
        assertEquals(sql, csv.get("rule_name"));
        assertEquals(html + img, csv.get("src_user"));
        assertEquals("tab\there", csv.get("dst_zone"));
        assertEquals("back\\slash", csv.get("src_location"));
        assertEquals(1, service.count("SELECT count(*) FROM firewall_log WHERE device = 'fw-hostile' AND raw LIKE '%\uFFFD%'"));

        List<String> reasons = column("SELECT reason FROM rejected_line ORDER BY id DESC LIMIT 7", "reason");
        assertTrue(reasons.stream().noneMatch(r -> r == null || r.isBlank()), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("port")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("address")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("ambiguous")), reasons.toString());
        assertTrue(service.count("SELECT count(*) FROM pg_tables WHERE tablename = 'firewall_log'") == 1);

        // and the listeners still serve
        service.sendUdp("<14>Nov 22 13:00:00 fw-after-hostile " + PanosLines.traffic(Map.of()));
        awaitOneRow("fw-after-hostile");
    }

    @Test
    void devicesAreCountedPerBatchAndMetricsAgreeWithTheTable() throws Exception {
        for (int i = 0; i < 25; i++) {
            service.sendUdp("<14>Nov 22 13:00:00 fw-count " + PanosLines.traffic(Map.of(24, String.valueOf(1000 + i))));
        }
        try (Socket s = service.openTcp()) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 75; i++) {
                lines.append("<14>Nov 22 13:00:00 fw-count ").append(PanosLines.traffic(Map.of(24, String.valueOf(2000 + i))))
                        .append('\n');
            }
            RunningService.write(s, lines.toString());
        }
        awaitCount("SELECT count(*) FROM firewall_log WHERE device = 'fw-count'", 100);
        awaitCount("SELECT lines_received FROM device WHERE name = 'fw-count'", 100);
        Map<String, String> device = service.rows("SELECT host(sender) AS sender, first_seen <= last_seen AS ordered "
                + "FROM device WHERE name = 'fw-count'").get(0);
        assertEquals("127.0.0.1", device.get("sender"));
        assertEquals("t", device.get("ordered"));

        double stored = service.metric("activedefense_log_lines_stored_total");
        assertEquals(service.count("SELECT count(*) FROM firewall_log"), (long) stored);
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(50); // lets the service read what was written as its own segment
    }

    /**
     * SYSTEM, GLOBALPROTECT (both layouts and the pre-9.1 SYSTEM form) and IPTAG lines over UDP and TCP
     * land with their typed event columns, and the records API filters on them.
     */
    @Test
    void eventLinesAreStoredTyped() throws Exception {
        String gp = "<14>Sep 15 21:19:59 fw-events-gp 1,2024/09/15 21:19:58,029436670131,GLOBALPROTECT,0,2562,"
                + "2024/09/15 21:19:58,vsys1,gateway-auth,login,ldap,,bigbob@example.com,US,debian,203.0.113.77,0.0.0.0,"
                + "0.0.0.0,0.0.0.0,,,Browser,Linux,\"linux-64\",1,,Authentication failed: Invalid username or password,,"
                + "failure,,0,,18,ABCVPN Gateway,8203912156868205408,0x0,2024-09-15T21:19:59.036-05:00,,,,,,121,0,0,0,,"
                + "ABC-FW1,1";
        String oldGp = "<14>Feb 24 22:45:30 fw-events-old 1,2016/02/24 22:45:30,007200001165,SYSTEM,globalprotect,0,"
                + "2016/02/24 22:41:12,,globalprotectportal-auth-fail,GP-Portal-1,0,0,general,informational,"
                + "\"GlobalProtect portal user authentication failed. Login from: 64.135.77.120, User name: Admin, "
                + "Reason: Authentication failed: Invalid username or password , Auth type: profile.\",642008,0x0";
        String edl = "<14>Nov 22 13:00:00 fw-events-sys 1,2026/11/22 13:00:00,012801096514,SYSTEM,general,2562,"
                + "2026/11/22 13:00:00,,edl-cli-auth-failure,AD-EDL,0,0,general,critical,\"EDL(AD-EDL) auth failed\",7,0x0";
        String tag = "<14>Nov 22 13:00:00 fw-events-tag 1,2026/11/22 13:00:00,012801096514,IPTAG,0,2562,"
                + "2026/11/22 13:00:00,vsys1,203.0.113.66,activedefense-block,register,1,86400,XMLAPI,xml-api,,1,0x0";
        service.sendUdp(gp);
        service.sendUdp(oldGp);
        try (Socket socket = service.openTcp()) {
            RunningService.write(socket, edl + "\n" + tag + "\n");
        }

        Map<String, String> g = awaitOneRow("fw-events-gp");
        assertEquals("GLOBALPROTECT", g.get("log_type"));
        assertEquals("203.0.113.77", g.get("src_ip"));
        assertEquals("bigbob@example.com", g.get("src_user"));
        assertEquals("gateway-auth", g.get("event_id"));
        assertEquals("login", g.get("stage"));
        assertEquals("ldap", g.get("auth_method"));
        assertEquals("failure", g.get("status"));
        assertEquals("Authentication failed: Invalid username or password", g.get("reason"));
        assertEquals("ABCVPN Gateway", g.get("object"));
        assertEquals("US", g.get("src_location"));

        Map<String, String> o = awaitOneRow("fw-events-old");
        assertEquals("64.135.77.120", o.get("src_ip"));
        assertEquals("Admin", o.get("src_user"));
        assertEquals("failure", o.get("status"));
        assertEquals("globalprotectportal-auth-fail", o.get("event_id"));

        Map<String, String> e = awaitOneRow("fw-events-sys");
        assertEquals("edl-cli-auth-failure", e.get("event_id"));
        assertEquals("AD-EDL", e.get("object"));
        assertEquals("EDL(AD-EDL) auth failed", e.get("description"));
        assertEquals("critical", e.get("severity"));

        Map<String, String> t = awaitOneRow("fw-events-tag");
        assertEquals("203.0.113.66", t.get("src_ip"));
        assertEquals("activedefense-block", t.get("tag_name"));
        assertEquals("register", t.get("event_id"));
        assertEquals("86400", t.get("timeout_seconds"));
        assertEquals("XMLAPI", t.get("object"));

        var answer = service.http("GET", "/api/records?range=7d&eventId=gateway-auth&status=failure&device=fw-events-gp",
                null, "Authorization", ADMIN);
        assertEquals(200, answer.statusCode());
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("\"eventId\":\"gateway-auth\"") && body.contains("\"status\":\"failure\"")
                && body.contains("\"authMethod\":\"ldap\""), body);
        var none = service.http("GET", "/api/records?range=7d&eventId=gateway-auth&status=success&device=fw-events-gp",
                null, "Authorization", ADMIN);
        assertTrue(new String(none.body(), StandardCharsets.UTF_8).contains("\"records\":[]"),
                new String(none.body(), StandardCharsets.UTF_8));
    }

    private static Map<String, String> awaitOneRow(String device) throws SQLException {
        awaitCount("SELECT count(*) FROM firewall_log WHERE device = '" + device + "'", 1);
        return service.rows("SELECT *, to_char(generated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00' "
                + "AS generated_utc, host(src_ip) AS src_ip, host(dst_ip) AS dst_ip, host(sender) AS sender "
                + "FROM firewall_log WHERE device = ?", device).get(0);
    }

    /** Waits until the query gives the count, then checks it stays there (nothing extra arrives). */
    private static void awaitCount(String sql, long expected) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> service.count(sql) >= expected);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> service.count(sql) == expected);
    }

    private static List<String> column(String sql, String name) throws SQLException {
        return service.rows(sql).stream().map(r -> r.get(name)).toList();
    }
}
