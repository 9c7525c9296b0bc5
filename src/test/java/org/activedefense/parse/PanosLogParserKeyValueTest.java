package org.activedefense.parse;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import org.activedefense.parse.LogRecord.Format;
import org.junit.jupiter.api.Test;

/** The product's own key=value format, the ambiguity rule, and Datadog's layout quirks. */
class PanosLogParserKeyValueTest {

    private static final String SENDER = "198.51.100.1";
    private static final Instant RECEIVED = Instant.parse("2026-11-22T13:01:03Z");

    /** The seed custom format, filled in as a PA-220 would send it. */
    private static final String SEED_BODY = "SrcLocation=China; SrcIP=203.0.113.7; SrcPort=51234; SrcUser=; "
            + "DstLocation=10.0.0.0-10.255.255.255; DstIP=198.51.100.10; DstPort=445; Action=deny; "
            + "RuleName=Active Defense Deny; RuleID=2b7c9e4a-1f3d-4c8b-9a6e-5d2f7b1c0e93; "
            + "TimeReceived=2026/11/22 13:01:02; "
            + "ThreatName=Microsoft Windows SMB Remote Code Execution Vulnerability (MS17-010); "
            + "ThreatID=Microsoft Windows SMB Remote Code Execution Vulnerability (MS17-010)(41234); "
            + "Severity=critical; Subtype=vulnerability; Type= THREAT;";
    private static final String SEED_LINE = "<14>Nov 22 13:01:03 PA-220 " + SEED_BODY;

    private final PanosLogParser parser = new PanosLogParser(KeyAliases.defaults(),
            DeviceTimeZones.parse("UTC", "PA-220=Europe/Berlin"), false);

    private LogRecord parse(String line) throws RejectedLineException {
        return parser.parse(line, SENDER, RECEIVED);
    }

    private RejectedLineException reject(String line) {
        return assertThrows(RejectedLineException.class, () -> parse(line), line);
    }

    @Test
    void seedFormatFieldByField() throws Exception {
        LogRecord r = parse(SEED_LINE);
        assertAll(
                () -> assertEquals(Format.KV, r.format),
                () -> assertEquals(RECEIVED, r.receivedAt),
                () -> assertEquals(SENDER, r.sender),
                () -> assertEquals("PA-220", r.device),
                () -> assertNull(r.raw, "raw kept only when asked"),
                () -> assertEquals("China", r.srcLocation),
                () -> assertEquals("203.0.113.7", r.srcIp),
                () -> assertEquals(51234, r.srcPort),
                () -> assertNull(r.srcUser),
                () -> assertEquals("10.0.0.0-10.255.255.255", r.dstLocation),
                () -> assertEquals("198.51.100.10", r.dstIp),
                () -> assertEquals(445, r.dstPort),
                () -> assertEquals("deny", r.action),
                () -> assertEquals("Active Defense Deny", r.ruleName),
                () -> assertEquals("2b7c9e4a-1f3d-4c8b-9a6e-5d2f7b1c0e93", r.ruleUuid),
                // Local time of the device, configured as Europe/Berlin (UTC+1 in November).
                () -> assertEquals(Instant.parse("2026-11-22T12:01:02Z"), r.generatedAt),
                () -> assertEquals("Microsoft Windows SMB Remote Code Execution Vulnerability (MS17-010)",
                        r.threatName),
                () -> assertEquals(41234L, r.threatId),
                () -> assertEquals("critical", r.severity),
                () -> assertEquals("vulnerability", r.subtype),
                () -> assertEquals("THREAT", r.logType),
                () -> assertNull(r.protocol),
                () -> assertNull(r.application),
                () -> assertNull(r.srcZone),
                () -> assertNull(r.dstZone));
    }

    @Test
    void seedFormatWithoutHeaderAndWithCrLf() throws Exception {
        LogRecord r = parse(SEED_BODY + "\r\n");
        assertEquals(SENDER, r.device);
        assertEquals("THREAT", r.logType);
        // No device zone for the sender address: the default zone (UTC) applies.
        assertEquals(Instant.parse("2026-11-22T13:01:02Z"), r.generatedAt);
    }

    @Test
    void threatIdAsBareNumberOrAsTheOnlyName() throws Exception {
        LogRecord bare = parse("Type= THREAT; ThreatID=41234; SrcIP=203.0.113.7;");
        assertEquals(41234L, bare.threatId);
        assertNull(bare.threatName);
        LogRecord named = parse("Type= THREAT; ThreatID=SCAN: Host Sweep(8002); Severity=medium;");
        assertEquals(8002L, named.threatId);
        assertEquals("SCAN: Host Sweep", named.threatName);
        LogRecord url = parse("Type= THREAT; Subtype=url; ThreatID=(9999);");
        assertEquals(9999L, url.threatId);
        assertNull(url.threatName);
    }

    @Test
    void semicolonsAndParenthesesInsideValues() throws Exception {
        LogRecord r = parse("SrcIP=203.0.113.7; ThreatName=Foo; Bar (CVE-2020-1); Tail; Severity=high; Type= THREAT;");
        assertEquals("Foo; Bar (CVE-2020-1); Tail", r.threatName);
        assertEquals("high", r.severity);
        assertEquals("THREAT", r.logType);
    }

    @Test
    void forgedPairWithADifferentValueIsAmbiguous() {
        // An attacker-controlled user name smuggles a second SrcIP.
        String line = SEED_LINE.replace("SrcUser=;", "SrcUser=x; SrcIP=8.8.8.8;");
        assertEquals("ambiguous: src-ip given twice", reject(line).getMessage());
    }

    @Test
    void forgedPairThroughAnotherAliasIsAmbiguous() {
        String line = SEED_LINE.replace("SrcUser=;", "SrcUser=x, dport=22,");
        assertEquals("ambiguous: dst-port given twice", reject(line).getMessage());
        String html = SEED_LINE.replace("SrcUser=;", "SrcUser=<img src=x onerror=alert(1)>;");
        // " src=" starts a pair for the src-ip column: refused, never guessed.
        assertEquals("ambiguous: src-ip given twice", reject(html).getMessage());
    }

    @Test
    void forgedPairWithTheSameValueIsHarmless() throws Exception {
        LogRecord r = parse(SEED_LINE.replace("SrcUser=;", "SrcUser=x; SrcIP=203.0.113.7;"));
        assertEquals("203.0.113.7", r.srcIp);
        assertEquals("x", r.srcUser);
    }

    @Test
    void emptyAndPresentValuesForOneColumnAreAmbiguous() {
        assertEquals("ambiguous: src-user given twice",
                reject("Type= TRAFFIC; SrcUser=; srcuser=admin;").getMessage());
    }

    @Test
    void unknownKeysAreIgnoredButAtLeastOneMustBeKnown() throws Exception {
        LogRecord r = parse("foo=1; SrcIP=203.0.113.7; bar=2; Type= TRAFFIC;");
        assertEquals("203.0.113.7", r.srcIp);
        assertEquals("no known key in key=value body", reject("foo=1; bar=2").getMessage());
    }

    @Test
    void trafficAndThreatValidateAddressesAndPorts() {
        assertEquals("invalid source address: '999.1.1.1'",
                reject(SEED_LINE.replace("203.0.113.7", "999.1.1.1")).getMessage());
        assertEquals("invalid destination address: '198.51.100.10/32'",
                reject(SEED_LINE.replace("198.51.100.10", "198.51.100.10/32")).getMessage());
        assertEquals("invalid destination port: '99999'",
                reject(SEED_LINE.replace("DstPort=445", "DstPort=99999")).getMessage());
        assertEquals("invalid source port: '-1'",
                reject(SEED_LINE.replace("SrcPort=51234", "SrcPort=-1")).getMessage());
        // The type decides strictness regardless of its case.
        assertEquals("invalid source address: 'x'", reject("type=traffic, src=x").getMessage());
    }

    @Test
    void otherTypesDropWhatDoesNotParse() throws Exception {
        LogRecord r = parse("type=AUTHENTICATION, src=10.2.75.414, sport=99999, srcuser=jdoe");
        assertEquals("AUTHENTICATION", r.logType);
        assertNull(r.srcIp);
        assertNull(r.srcPort);
        assertEquals("jdoe", r.srcUser);
    }

    @Test
    void ipv6AndMappedAddressesAreCanonical() throws Exception {
        LogRecord r = parse("Type= TRAFFIC; SrcIP=2001:DB8:0:0:0:0:0:7; DstIP=::ffff:198.51.100.10;");
        assertEquals("2001:db8::7", r.srcIp);
        assertEquals("198.51.100.10", r.dstIp);
    }

    @Test
    void unparseableTimeIsNullNotFatal() throws Exception {
        assertNull(parse(SEED_LINE.replace("2026/11/22 13:01:02", "yesterday")).generatedAt);
        assertEquals(Instant.parse("2026-11-22T13:01:02.5Z"),
                parse(SEED_LINE.replace("2026/11/22 13:01:02", "2026-11-22T14:01:02.5+01:00")).generatedAt);
    }

    @Test
    void datadogQuirksThroughOverriddenKeys() throws Exception {
        KeyAliases aliases = KeyAliases.defaults().withOverrides(Map.of(
                "src-port", "natsport", "dst-port", "natdport", "application", "url_category_list",
                "rule-uuid", "imsi", "protocol", "actionflags", "src-zone", "clienttype", "dst-zone", "authproto"));
        PanosLogParser custom = new PanosLogParser(aliases, DeviceTimeZones.parse("UTC", ""), false);
        String datadog = "datadog-integrations-core-pan-firewall-kv.log";

        // Missing comma between pairs: "natsport=24855 natdport=443"; "imsi= 0" has a leading blank.
        LogRecord first = custom.parse(SampleLines.line(datadog, 1), SENDER, RECEIVED);
        assertEquals(24855, first.srcPort);
        assertEquals(443, first.dstPort);
        assertEquals("0", first.ruleUuid);
        assertEquals("0x8000000000000000", first.protocol);

        // TABs as separators, a value with an inner blank, the last pair without separator.
        LogRecord auth = custom.parse(SampleLines.line(datadog, 3), SENDER, RECEIVED);
        assertEquals("securityApp", auth.srcZone);
        assertEquals("authproto", auth.dstZone);
        assertEquals("0xa0000 00000000000", auth.protocol);

        // A comma inside a value is not a separator unless an identifier= follows.
        LogRecord threat = custom.parse(SampleLines.line(datadog, 4), SENDER, RECEIVED);
        assertEquals("computer-and-internet-info,low-risk", threat.application);
        assertEquals(53411, threat.srcPort);
    }

    @Test
    void keysMatchIgnoringCase() throws Exception {
        LogRecord r = parse("SRCIP=203.0.113.7; dstip=198.51.100.10; TYPE= traffic;");
        assertEquals("203.0.113.7", r.srcIp);
        assertEquals("198.51.100.10", r.dstIp);
        assertEquals("traffic", r.logType);
    }
}
