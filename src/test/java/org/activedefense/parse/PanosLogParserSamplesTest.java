package org.activedefense.parse;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.List;
import org.activedefense.parse.LogRecord.Format;
import org.junit.jupiter.api.Test;

/** The values FIELDS.md (§7, §8) lists for the copied samples, column by column. */
class PanosLogParserSamplesTest {

    private static final String SENDER = "198.51.100.1";
    private static final Instant RECEIVED = Instant.parse("2026-11-22T13:00:00Z");
    private static final String LAYER3 = "layer3-pan-os-syslog-samples.log";
    private static final String CROWDSEC = "crowdsecurity-hub-palo-alto-threat.log";
    private static final String DATADOG = "datadog-integrations-core-pan-firewall-kv.log";
    private static final String SPLUNK_GP = "paloaltonetworks-splunk-apps-pan_globalprotect.samplelog";
    private static final String SPLUNK_CORRELATION = "paloaltonetworks-splunk-apps-pan_correlation.samplelog";
    private static final String SPLUNK_CONFIG = "paloaltonetworks-splunk-apps-pan_incident_data_config.samplelog";

    private final PanosLogParser parser =
            new PanosLogParser(KeyAliases.defaults(), DeviceTimeZones.parse("UTC", ""), true);

    private LogRecord parse(String file, int line) throws RejectedLineException {
        String text = SampleLines.line(file, line);
        LogRecord record = parser.parse(text, SENDER, RECEIVED);
        assertSame(text, record.raw);
        assertEquals(RECEIVED, record.receivedAt);
        assertEquals(SENDER, record.sender);
        return record;
    }

    /** Asserts the common TRAFFIC/THREAT columns; {@code null} expectations assert null. */
    private static void assertFlow(LogRecord r, Format format, String type, String subtype, String src, Integer sport,
            String dst, Integer dport, String protocol, String action, String srcLocation, String dstLocation,
            String device) {
        assertAll(
                () -> assertEquals(format, r.format, "format"),
                () -> assertEquals(type, r.logType, "type"),
                () -> assertEquals(subtype, r.subtype, "subtype"),
                () -> assertEquals(src, r.srcIp, "src"),
                () -> assertEquals(sport, r.srcPort, "sport"),
                () -> assertEquals(dst, r.dstIp, "dst"),
                () -> assertEquals(dport, r.dstPort, "dport"),
                () -> assertEquals(protocol, r.protocol, "protocol"),
                () -> assertEquals(action, r.action, "action"),
                () -> assertEquals(srcLocation, r.srcLocation, "srcLocation"),
                () -> assertEquals(dstLocation, r.dstLocation, "dstLocation"),
                () -> assertEquals(device, r.device, "device"));
    }

    private static void assertThreat(LogRecord r, String name, Long id, String severity) {
        assertAll(
                () -> assertEquals(name, r.threatName, "threatName"),
                () -> assertEquals(id, r.threatId, "threatId"),
                () -> assertEquals(severity, r.severity, "severity"));
    }

    // ---- layer-3-communications/pan-os-syslog ----

    @Test
    void layer3Traffic81() throws Exception {
        LogRecord r = parse(LAYER3, 1);
        assertFlow(r, Format.CSV, "TRAFFIC", "end", "192.0.2.235", 59061, "192.0.2.251", 177, "tcp", "deny",
                "10.0.0.0-10.255.255.255", "10.0.0.0-10.255.255.255", "MY-HOST.example.com");
        assertEquals("Example-Rule-Name", r.ruleName);
        assertEquals("incomplete", r.application);
        assertEquals("My-Source-Zone", r.srcZone);
        assertEquals("My-Dest-Zone", r.dstZone);
        assertNull(r.srcUser);
        assertNull(r.ruleUuid);
        assertThreat(r, null, null, null);
        assertEquals(Instant.parse("2019-07-14T10:20:24Z"), r.generatedAt);
    }

    @Test
    void layer3TrafficWithSourceUser() throws Exception {
        LogRecord r = parse(LAYER3, 2);
        assertFlow(r, Format.CSV, "TRAFFIC", "end", "192.0.2.165", 59173, "192.0.2.100", 443, "tcp", "allow",
                "10.0.0.0-10.255.255.255", "United States", "TX-PAN-FW-1.example.org");
        assertEquals("example\\jdoe", r.srcUser);
        assertEquals("google-base", r.application);
    }

    @Test
    void layer3Traffic90HasRuleUuid() throws Exception {
        LogRecord r = parse(LAYER3, 3);
        assertFlow(r, Format.CSV, "TRAFFIC", "end", "192.0.2.73", 56451, "192.0.2.117", 8475, "tcp", "allow",
                "United States", "10.0.0.0-10.255.255.255", "NY-PAN-FW-5.example.com");
        assertEquals("321ef4bf-801e-1c89-b341-efb2898ba2be", r.ruleUuid);
        assertEquals("NEAR to FAR", r.ruleName);
    }

    @Test
    void layer3CortexDataLakeTrafficKeepsOnlyTypeAndTime() throws Exception {
        LogRecord r = parse(LAYER3, 4);
        assertFlow(r, Format.CSV, "TRAFFIC", "end", null, null, null, null, null, null, null, null,
                "stream-logfwd20-548106107-12876850-z5tm-harness-44k2");
        assertEquals(Instant.parse("2021-10-27T19:20:40Z"), r.generatedAt);
        assertNull(r.ruleName);
    }

    @Test
    void layer3Traffic102Ietf() throws Exception {
        LogRecord r = parse(LAYER3, 5);
        assertFlow(r, Format.CSV, "TRAFFIC", "end", "192.0.2.125", 0, "192.0.2.196", 0, "icmp", "allow",
                "10.0.0.0-10.255.255.255", "10.0.0.0-10.255.255.255", "the-hostname");
        assertEquals("c7dc0e27-4795-4930-8ef8-541919a6ebcd", r.ruleUuid);
        // High-resolution time (idx 102) carries its offset and wins over the local generated time.
        assertEquals(Instant.parse("2025-07-14T13:50:36.624Z"), r.generatedAt);
    }

    @Test
    void layer3ThreatUrlWithoutName() throws Exception {
        LogRecord r = parse(LAYER3, 6);
        assertFlow(r, Format.CSV, "THREAT", "url", "192.0.2.240", 59457, "192.0.2.243", 443, "tcp", "alert",
                "10.0.0.0-10.255.255.255", "United States", "NY-APP-8.local");
        assertThreat(r, null, 9999L, "informational");
        assertEquals(Instant.parse("2019-07-23T15:45:12Z"), r.generatedAt);
    }

    @Test
    void layer3ThreatUrlOddVersion() throws Exception {
        LogRecord r = parse(LAYER3, 7);
        assertFlow(r, Format.CSV, "THREAT", "url", "192.0.2.99", 39537, "192.0.2.57", 80, "tcp", "alert",
                "10.0.0.0-10.255.255.255", "United States", "THE-FW-3.local");
        assertThreat(r, null, 9999L, "informational");
    }

    @Test
    void layer3ThreatVulnerability() throws Exception {
        LogRecord r = parse(LAYER3, 8);
        assertFlow(r, Format.CSV, "THREAT", "vulnerability", "192.0.2.3", 61242, "192.0.2.3", 142, "tcp", "alert",
                "10.0.0.0-10.255.255.255", "10.0.0.0-10.255.255.255", "THE-FW-4.local");
        assertThreat(r, "Microsoft RPC Endpoint Mapper Detection", 30845L, "informational");
    }

    @Test
    void layer3ThreatFileEmailLink() throws Exception {
        LogRecord r = parse(LAYER3, 9);
        assertFlow(r, Format.CSV, "THREAT", "file", "192.0.2.105", 31532, "192.0.2.106", 25, "tcp", "alert",
                "United States", "United States", "BIG-OL-PAN.example.com");
        assertThreat(r, "Email Link", 52143L, "low");
    }

    @Test
    void layer3ThreatNameWithParentheses() throws Exception {
        assertThreat(parse(LAYER3, 10), "Windows Executable (EXE)", 52020L, "low");
        assertThreat(parse(LAYER3, 11), "Temporary TMP File", 52228L, "low");
        assertThreat(parse(LAYER3, 12), "Hypertext Preprocessor PHP File", 52256L, "low");
    }

    @Test
    void layer3ThreatUrlWithQuotedCommas() throws Exception {
        LogRecord r = parse(LAYER3, 13);
        assertFlow(r, Format.CSV, "THREAT", "url", "192.0.2.123", 59055, "192.0.2.125", 80, "tcp", "alert",
                "10.0.0.0-10.255.255.255", "United States", "fw-4.example.com");
        assertThreat(r, null, 9999L, "informational");
        assertEquals("example\\mbjordan", r.srcUser);
    }

    @Test
    void layer3ThreatSpyware() throws Exception {
        LogRecord r = parse(LAYER3, 14);
        assertFlow(r, Format.CSV, "THREAT", "spyware", "192.0.2.15", 45476, "192.0.2.30", 53, "udp", "sinkhole",
                "10.0.0.0-10.255.255.255", "United States", "NY-PA-FW-1.example");
        assertThreat(r, "Suspicious DNS Query (generic:comparetvs.net)", 320511141L, "medium");
    }

    @Test
    void layer3Threat90WithoutPri() throws Exception {
        LogRecord r = parse(LAYER3, 15);
        assertFlow(r, Format.CSV, "THREAT", "url", "192.0.2.101", 62475, "192.0.2.102", 443, "tcp", "alert",
                "United States", "United States", "firewall1.example.com");
        assertThreat(r, null, 9999L, "informational");
        assertEquals("edd29e10-d927-1753-867f-0108b01b80de", r.ruleUuid);
        assertEquals("FOO to BAR", r.ruleName);
    }

    @Test
    void layer3CortexThreatsKeepOnlyTypeAndTime() throws Exception {
        List<String> subtypes = List.of("url", "spyware", "wildfire");
        for (int line = 16; line <= 18; line++) {
            LogRecord r = parse(LAYER3, line);
            assertEquals("THREAT", r.logType);
            assertEquals(subtypes.get(line - 16), r.subtype);
            assertNull(r.srcIp);
            assertNull(r.threatId);
            assertNull(r.action);
        }
        assertEquals(Instant.parse("2021-10-28T02:58:50Z"), parse(LAYER3, 16).generatedAt);
    }

    @Test
    void layer3Threat91() throws Exception {
        LogRecord r = parse(LAYER3, 19);
        assertFlow(r, Format.CSV, "THREAT", "url", "192.0.2.22", 63421, "192.0.2.17", 5986, "tcp", "allow",
                "10.0.0.0-10.255.255.255", "10.0.0.0-10.255.255.255", "MY-PA-5250-3");
        assertEquals("foo\\_bar", r.srcUser);
        assertEquals("9871ab80-6061-4f07-a06e-0036b0206f73", r.ruleUuid);
    }

    @Test
    void layer3System() throws Exception {
        LogRecord r = parse(LAYER3, 20);
        assertEquals("SYSTEM", r.logType);
        assertEquals("vpn", r.subtype);
        assertEquals("informational", r.severity);
        assertEquals("NY-DC-FW-2.example.com", r.device);
        assertEquals(Instant.parse("2019-10-19T15:39:29Z"), r.generatedAt);
        assertNull(r.srcIp);
    }

    @Test
    void layer3HeaderlessUserIdUsesTheSenderAsDevice() throws Exception {
        LogRecord r = parse(LAYER3, 21);
        assertEquals("USERID", r.logType);
        assertEquals("login", r.subtype);
        assertEquals(SENDER, r.device);
        assertEquals(Instant.parse("2021-09-19T11:55:38Z"), r.generatedAt);
    }

    @Test
    void layer3Correlation() throws Exception {
        LogRecord r = parse(LAYER3, 22);
        assertEquals("CORRELATION", r.logType);
        assertNull(r.subtype);
        assertEquals("panorama.example.com", r.device);
    }

    @Test
    void layer3Threat100() throws Exception {
        LogRecord r = parse(LAYER3, 23);
        assertFlow(r, Format.CSV, "THREAT", "url", "192.0.2.254", 53686, "192.0.2.201", 443, "tcp", "block-url",
                "10.0.0.0-10.255.255.255", "United States", "Panorama");
        assertEquals(Instant.parse("2022-07-25T13:40:03.909Z"), r.generatedAt);
    }

    @Test
    void layer3GlobalProtect() throws Exception {
        LogRecord r = parse(LAYER3, 24);
        assertEquals("GLOBALPROTECT", r.logType);
        assertEquals("0", r.subtype);
        assertEquals("jdoe", r.srcUser);
        assertEquals("192.0.2.56", r.srcIp);
        assertEquals("FOO-BAR.example.com", r.device);
        assertEquals("gateway-auth", r.eventId);
        assertEquals("login", r.stage);
        assertEquals("Cookie", r.authMethod);
        assertEquals("success", r.status);
        assertEquals("ABCVPN Gateway", r.object);
        LogRecord failed = parse(LAYER3, 25);
        assertEquals("bigbob@example.com", failed.srcUser);
        assertEquals("192.0.2.77", failed.srcIp);
        assertEquals("ldap", failed.authMethod);
        assertEquals("failure", failed.status);
        assertEquals("Authentication failed: Invalid username or password", failed.reason);
        LogRecord ietf = parse(LAYER3, 26);
        assertEquals("foo-example1", ietf.device);
        assertEquals("192.0.2.26", ietf.srcIp);
        assertNull(ietf.srcUser);
    }

    @Test
    void layer3EveryLineIsAccepted() throws Exception {
        List<String> lines = SampleLines.of(LAYER3);
        assertEquals(26, lines.size());
        for (String line : lines) {
            parser.parse(line, SENDER, RECEIVED);
        }
    }

    // ---- crowdsecurity/hub ----

    @Test
    void crowdsecLine1() throws Exception {
        LogRecord r = parse(CROWDSEC, 1);
        assertFlow(r, Format.CSV, "THREAT", "vulnerability", "1.2.3.2", 47094, "1.2.3.3", 22, "tcp", "reset-both",
                "Germany", "France", "paloalto.test.host");
        assertThreat(r, "SSH User Authentication Brute Force Attempt", 40015L, "high");
        assertEquals("TestruleName0", r.ruleName);
        assertEquals("ssh", r.application);
        assertEquals("Untrust", r.srcZone);
        assertEquals("DMZ", r.dstZone);
        assertEquals(Instant.parse("2023-07-06T06:11:40.288Z"), r.generatedAt);
    }

    @Test
    void crowdsecLine2() throws Exception {
        LogRecord r = parse(CROWDSEC, 2);
        assertFlow(r, Format.CSV, "THREAT", "vulnerability", "1.2.3.6", 32362, "1.2.3.7", 80, "tcp", "alert",
                "France", "France", "paloalto.test.host");
        assertThreat(r, "Nmap Scripting Engine Detection", 58433L, "medium");
        assertEquals("Test Rule Name", r.ruleName);
    }

    // ---- DataDog/integrations-core (key=value) ----

    @Test
    void datadogTrafficWithHeader() throws Exception {
        for (int line = 1; line <= 2; line++) {
            LogRecord r = parse(DATADOG, line);
            assertFlow(r, Format.KV, "TRAFFIC", "end", "10.70.255.70", 42799, "35.184.126.116", 443, "tcp", "allow",
                    "10.0.0.0-10.255.255.255", "United States", "PPCMOCK-PA820-A.corp.nuskin.net");
            assertEquals("Permit all outbound", r.ruleName);
            assertEquals("paloalto-shared-services", r.application);
            assertEquals("Management", r.srcZone);
            assertEquals("Outside", r.dstZone);
            assertNull(r.srcUser);
            assertEquals(Instant.parse("2021-05-04T04:24:37Z"), r.generatedAt);
        }
    }

    @Test
    void datadogAuthenticationDropsItsInvalidAddress() throws Exception {
        LogRecord r = parse(DATADOG, 3);
        assertEquals(Format.KV, r.format);
        assertEquals("AUTHENTICATION", r.logType);
        assertEquals("virus", r.subtype);
        // 10.2.75.414 is not an address; not a TRAFFIC/THREAT line, so it is dropped rather than fatal.
        assertNull(r.srcIp);
        assertEquals("alert", r.action);
        assertEquals("Jaydeep", r.srcUser);
        assertEquals(SENDER, r.device);
        assertEquals(Instant.parse("2025-08-25T17:15:02Z"), r.generatedAt);
    }

    @Test
    void datadogThreatUrl() throws Exception {
        LogRecord r = parse(DATADOG, 4);
        assertFlow(r, Format.KV, "THREAT", "url", "10.70.73.88", 51342, "52.1.12.13", 443, "tcp", "alert",
                "10.0.0.0-10.255.255.255", "Mexico", SENDER);
        assertThreat(r, null, 9999L, "informational");
        assertEquals("c7ee18cf-77b2-4503-9c8e-bfc799dh4c43", r.ruleUuid);
        assertEquals("Regra wifi grupolm para internet", r.ruleName);
        assertEquals("wifigrupolm", r.srcZone);
        assertEquals("external", r.dstZone);
        assertEquals("ssl", r.application);
    }

    @Test
    void datadogTrafficWithHeaderInsideAField() throws Exception {
        LogRecord r = parse(DATADOG, 5);
        assertFlow(r, Format.KV, "TRAFFIC", "end", "172.16.28.190", 123, "17.253.2.43", 123, "udp", "allow",
                "172.16.0.0-172.31.255.255", "United States", SENDER);
        assertEquals("L3_Orca to L3_Untrust", r.ruleName);
        assertEquals(Instant.parse("2025-09-03T19:40:32Z"), r.generatedAt);
    }

    // ---- PaloAltoNetworks/Splunk-Apps ----

    @Test
    void splunkRelayedSystemLineTakesTheInnermostHost() throws Exception {
        LogRecord r = parse(SPLUNK_GP, 1);
        assertEquals(Format.CSV, r.format);
        assertEquals("SYSTEM", r.logType);
        assertEquals("globalprotect", r.subtype);
        assertEquals("informational", r.severity);
        assertEquals("BD-Panorama", r.device);
        assertEquals(Instant.parse("2016-02-24T22:01:41Z"), r.generatedAt);
    }

    /** PAN-OS before 9.1 logs GlobalProtect logins as SYSTEM lines; the client is read from the description. */
    @Test
    void splunkOldGlobalProtectLogins() throws Exception {
        LogRecord failed = parse(SPLUNK_GP, 15);
        assertEquals("globalprotectportal-auth-fail", failed.eventId);
        assertEquals("GP-Portal-1", failed.object);
        assertEquals("60.28.233.48", failed.srcIp);
        assertEquals("Administrator", failed.srcUser);
        assertEquals("failure", failed.status);
        assertEquals("Authentication failed: Invalid username or password", failed.reason);
        // the firewall cut the description at its length limit: "Auth type: profi"
        assertEquals("profi", failed.authMethod);
        LogRecord succeeded = parse(SPLUNK_GP, 12);
        assertEquals("globalprotectgateway-auth-succ", succeeded.eventId);
        assertEquals("216.113.183.230", succeeded.srcIp);
        assertEquals("tng\\picard", succeeded.srcUser);
        assertEquals("success", succeeded.status);
        assertEquals("profile", succeeded.authMethod);
        LogRecord logout = parse(SPLUNK_GP, 1);
        assertEquals("globalprotectgateway-logout-succ", logout.eventId);
        assertNull(logout.srcIp);
        assertEquals("tng\\picard", logout.srcUser);
    }

    @Test
    void splunkRelayedOldTraffic() throws Exception {
        LogRecord r = parse(SPLUNK_GP, 3);
        assertFlow(r, Format.CSV, "TRAFFIC", "end", "192.168.55.101", 53909, "8.8.8.8", 53, "udp", "allow",
                "192.168.0.0-192.168.255.255", "United States", "BD-Panorama");
        assertEquals("tng\\picard", r.srcUser);
        assertEquals("Permit All", r.ruleName);
        assertNull(r.ruleUuid);
        assertEquals(Instant.parse("2016-02-24T21:42:31Z"), r.generatedAt);
        LogRecord start = parse(SPLUNK_GP, 5);
        assertFlow(start, Format.CSV, "TRAFFIC", "start", "192.168.55.101", 53909, "8.8.8.8", 53, "udp", "allow",
                "192.168.0.0-192.168.255.255", "United States", "BD-Panorama");
    }

    @Test
    void splunkCorrelation() throws Exception {
        LogRecord r = parse(SPLUNK_CORRELATION, 1);
        assertEquals("CORRELATION", r.logType);
        assertNull(r.subtype);
        assertEquals(SENDER, r.device);
        assertEquals(Instant.parse("2017-04-07T18:14:07Z"), r.generatedAt);
    }

    @Test
    void splunkConfigAndSystem() throws Exception {
        LogRecord config = parse(SPLUNK_CONFIG, 1);
        assertEquals("CONFIG", config.logType);
        assertEquals("0", config.subtype);
        assertEquals(Instant.parse("2012-02-25T00:51:50Z"), config.generatedAt);
        String[][] system = {{"5", "routing"}, {"6", "vpn"}, {"8", "ras"}, {"17", "general"}, {"18", "general"}};
        for (String[] expected : system) {
            LogRecord r = parse(SPLUNK_CONFIG, Integer.parseInt(expected[0]));
            assertEquals("SYSTEM", r.logType);
            assertEquals(expected[1], r.subtype);
            assertEquals("informational", r.severity);
        }
    }

    @Test
    void everyCopiedLineIsAccepted() throws Exception {
        int lines = 0;
        for (String file : SampleLines.FILES) {
            for (String line : SampleLines.of(file)) {
                LogRecord r = parser.parse(line, SENDER, RECEIVED);
                assertEquals(line, r.raw);
                lines++;
            }
        }
        assertEquals(26 + 2 + 8 + 76 + 140 + 5, lines);
    }
}
