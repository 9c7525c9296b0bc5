package org.activedefense.parse;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The custom log format docs/firewall-setup.md tells the firewall admin to paste is the one the
 * parser reads: the line is taken from the guide itself, its PAN-OS variables filled in the way a
 * firewall fills them (values with spaces and parentheses, ThreatID as name(id)), and parsed.
 */
class FirewallSetupDocTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$([a-z_]+)");

    @Test
    void theGuidesCustomFormatParsesIntoTheDetectionColumns() throws Exception {
        List<String> formats = Files.readAllLines(Path.of("docs", "firewall-setup.md")).stream()
                .filter(l -> l.startsWith("SrcLocation=$srcloc")).toList();
        assertEquals(1, formats.size(), "the guide shows the custom format once, on a line of its own");
        String format = formats.get(0);

        Map<String, String> values = new LinkedHashMap<>();
        values.put("srcloc", "Russian Federation");
        values.put("src", "45.155.205.10");
        values.put("sport", "44123");
        values.put("srcuser", "");
        values.put("dstloc", "10.0.0.0-10.255.255.255");
        values.put("dst", "198.51.100.30");
        values.put("dport", "445");
        values.put("action", "reset-both");
        values.put("rule", "Active Defense Deny");
        values.put("rule_uuid", "0b6c2c0e-9b7f-4bb5-8a52-1c9d2e0c7f11");
        values.put("time_received", "2026/11/22 13:05:00");
        values.put("threat_name", "Microsoft Windows SMBv1 Multiple Vulnerabilities (MS17-010)");
        values.put("threatid", "Microsoft Windows SMBv1 Multiple Vulnerabilities (MS17-010)(41234)");
        values.put("severity", "critical");
        values.put("subtype", "vulnerability");
        values.put("type", "THREAT");
        Matcher m = VARIABLE.matcher(format);
        StringBuilder body = new StringBuilder();
        while (m.find()) {
            assertTrue(values.containsKey(m.group(1)), "a PAN-OS variable this test does not fill: $" + m.group(1));
            m.appendReplacement(body, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(body);

        PanosLogParser parser = new PanosLogParser(KeyAliases.defaults(), DeviceTimeZones.parse("UTC", ""), false);
        LogRecord r = parser.parse("<14>Nov 22 13:05:01 PA-220 " + body, "192.0.2.1", Instant.parse("2026-11-22T13:05:01Z"));
        assertAll(
                () -> assertEquals(LogRecord.Format.KV, r.format),
                () -> assertEquals("THREAT", r.logType),
                () -> assertEquals("vulnerability", r.subtype),
                () -> assertEquals("45.155.205.10", r.srcIp),
                () -> assertEquals(44123, r.srcPort),
                () -> assertEquals("198.51.100.30", r.dstIp),
                () -> assertEquals(445, r.dstPort),
                () -> assertEquals("reset-both", r.action),
                () -> assertEquals("Active Defense Deny", r.ruleName),
                () -> assertEquals("Microsoft Windows SMBv1 Multiple Vulnerabilities (MS17-010)", r.threatName),
                () -> assertEquals(41234L, r.threatId),
                () -> assertEquals("critical", r.severity),
                () -> assertEquals("Russian Federation", r.srcLocation),
                () -> assertEquals("PA-220", r.device));
    }
}
