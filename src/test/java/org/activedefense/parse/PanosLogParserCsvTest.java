package org.activedefense.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Positional CSV mapping at the edges: record lengths, versions, odd layouts and malformed fields. */
class PanosLogParserCsvTest {

    private static final String SENDER = "198.51.100.1";
    private static final Instant RECEIVED = Instant.parse("2026-11-22T13:00:00Z");

    private final PanosLogParser parser = new PanosLogParser(KeyAliases.defaults(),
            DeviceTimeZones.parse("UTC", "PA-220=Europe/Berlin"), true);

    /** A TRAFFIC record of {@code size} fields with the columns we read filled in. */
    static String[] traffic(int size) {
        String[] f = new String[size];
        Arrays.fill(f, "");
        set(f, 0, "1");
        set(f, 1, "2026/11/22 13:00:00");
        set(f, 2, "012801096514");
        set(f, 3, "TRAFFIC");
        set(f, 4, "drop");
        set(f, 5, "2562");
        set(f, 6, "2026/11/22 12:59:58");
        set(f, 7, "203.0.113.7");
        set(f, 8, "198.51.100.10");
        set(f, 11, "Active Defense Deny");
        set(f, 14, "not-applicable");
        set(f, 16, "untrust");
        set(f, 17, "trust");
        set(f, 24, "51234");
        set(f, 25, "445");
        set(f, 29, "tcp");
        set(f, 30, "deny");
        set(f, 41, "China");
        set(f, 42, "10.0.0.0-10.255.255.255");
        set(f, 65, "2b7c9e4a-1f3d-4c8b-9a6e-5d2f7b1c0e93");
        return f;
    }

    /** A THREAT record of {@code size} fields. */
    static String[] threat(int size) {
        String[] f = traffic(size);
        set(f, 3, "THREAT");
        set(f, 4, "vulnerability");
        set(f, 41, "");
        set(f, 42, "");
        set(f, 65, "");
        set(f, 32, "Microsoft Windows SMB Remote Code Execution Vulnerability(41234)");
        set(f, 34, "critical");
        set(f, 38, "China");
        set(f, 39, "10.0.0.0-10.255.255.255");
        set(f, 76, "2b7c9e4a-1f3d-4c8b-9a6e-5d2f7b1c0e93");
        return f;
    }

    private static void set(String[] fields, int index, String value) {
        if (index < fields.length) {
            fields[index] = value;
        }
    }

    /** Joins fields the way PAN-OS does: quotes fields holding a comma, quote or line break, doubling quotes. */
    static String csv(String... fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            String field = fields[i];
            if (field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                    || field.indexOf('\r') >= 0) {
                line.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                line.append(field);
            }
        }
        return line.toString();
    }

    private LogRecord parse(String line) throws RejectedLineException {
        return parser.parse(line, SENDER, RECEIVED);
    }

    private String reason(String line) {
        return assertThrows(RejectedLineException.class, () -> parse(line), line).getMessage();
    }

    @Test
    void trafficInTheDevicesZone() throws Exception {
        LogRecord r = parse("<14>Nov 22 13:00:00 PA-220 " + csv(traffic(114)));
        assertEquals("TRAFFIC", r.logType);
        assertEquals("drop", r.subtype);
        assertEquals("203.0.113.7", r.srcIp);
        assertEquals(51234, r.srcPort);
        assertEquals("198.51.100.10", r.dstIp);
        assertEquals(445, r.dstPort);
        assertEquals("untrust", r.srcZone);
        assertEquals("trust", r.dstZone);
        assertEquals("not-applicable", r.application);
        assertEquals("China", r.srcLocation);
        assertEquals("2b7c9e4a-1f3d-4c8b-9a6e-5d2f7b1c0e93", r.ruleUuid);
        assertEquals(Instant.parse("2026-11-22T11:59:58Z"), r.generatedAt);
    }

    @Test
    void shortestAcceptableRecordEndsAtTheAction() throws Exception {
        LogRecord r = parse(csv(traffic(31)));
        assertEquals("deny", r.action);
        assertNull(r.srcLocation, "column beyond the record's end");
        assertNull(r.ruleUuid);
    }

    @Test
    void truncatedTrafficAndThreatAreRejected() {
        assertEquals("truncated TRAFFIC record: 30 fields", reason(csv(traffic(30))));
        assertEquals("truncated THREAT record: 9 fields", reason(csv(Arrays.copyOf(threat(40), 9))));
    }

    @Test
    void newerLongerRecordsAreAccepted() throws Exception {
        LogRecord r = parse(csv(threat(140)));
        assertEquals(41234L, r.threatId);
        assertEquals("Microsoft Windows SMB Remote Code Execution Vulnerability", r.threatName);
        assertEquals("critical", r.severity);
        assertEquals("China", r.srcLocation);
        assertEquals("2b7c9e4a-1f3d-4c8b-9a6e-5d2f7b1c0e93", r.ruleUuid);
    }

    @Test
    void highResolutionTimeWinsUnlessItIsAPlaceholder() throws Exception {
        String[] traffic = traffic(117);
        traffic[102] = "2026-11-22T12:59:58.123+01:00";
        assertEquals(Instant.parse("2026-11-22T11:59:58.123Z"), parse(csv(traffic)).generatedAt);
        traffic[102] = "1970-01-01T00:00:00.000000Z";
        assertEquals(Instant.parse("2026-11-22T12:59:58Z"), parse(csv(traffic)).generatedAt);
        String[] threat = threat(121);
        threat[107] = "2026-11-22T12:59:58.5Z";
        assertEquals(Instant.parse("2026-11-22T12:59:58.5Z"), parse(csv(threat)).generatedAt);
        threat[107] = "garbage";
        threat[6] = "2026/02/30 00:00:00";
        assertNull(parse(csv(threat)).generatedAt, "impossible dates are null, not an error");
        threat[107] = "1969-12-31T16:00:00.000-08:00";
        assertNull(parse(csv(threat)).generatedAt, "the epoch is a placeholder even without a generated time");
    }

    @Test
    void threatIdVariants() throws Exception {
        String[] threat = threat(80);
        threat[32] = "(9999)";
        LogRecord url = parse(csv(threat));
        assertNull(url.threatName);
        assertEquals(9999L, url.threatId);
        threat[32] = "Windows Executable (EXE)(52020)";
        assertEquals("Windows Executable (EXE)", parse(csv(threat)).threatName);
        threat[32] = "No id here";
        LogRecord noId = parse(csv(threat));
        assertEquals("No id here", noId.threatName);
        assertNull(noId.threatId);
        threat[32] = "Overflow(99999999999999999999)";
        assertNull(parse(csv(threat)).threatId);
    }

    @Test
    void ipv6AddressesAreCanonical() throws Exception {
        String[] traffic = traffic(75);
        traffic[7] = "2001:DB8:0:0:0:0:0:7";
        traffic[8] = "::ffff:198.51.100.10";
        LogRecord r = parse(csv(traffic));
        assertEquals("2001:db8::7", r.srcIp);
        assertEquals("198.51.100.10", r.dstIp);
    }

    @Test
    void emptyAddressesAndPortsAreNull() throws Exception {
        String[] threat = threat(111);
        for (int i = 4; i < threat.length; i++) {
            threat[i] = "";
        }
        LogRecord r = parse(csv(threat));
        assertEquals("THREAT", r.logType);
        assertNull(r.subtype);
        assertNull(r.srcIp);
        assertNull(r.dstPort);
        assertNull(r.action);
        assertNull(r.generatedAt);
    }

    @Test
    void invalidAddressesAndPortsRejectTrafficAndThreat() {
        String[] traffic = traffic(65);
        traffic[7] = "999.1.1.1";
        assertEquals("invalid source address: '999.1.1.1'", reason(csv(traffic)));
        traffic = traffic(65);
        traffic[8] = "010.1.1.1";
        assertEquals("invalid destination address: '010.1.1.1'", reason(csv(traffic)));
        traffic = traffic(65);
        traffic[25] = "99999";
        assertEquals("invalid destination port: '99999'", reason(csv(traffic)));
        traffic = traffic(65);
        traffic[24] = "0x50";
        assertEquals("invalid source port: '0x50'", reason(csv(traffic)));
        String[] threat = threat(80);
        threat[7] = "fe80::1%eth0";
        assertEquals("invalid source address: 'fe80::1%eth0'", reason(csv(threat)));
    }

    @Test
    void oldGlobalProtectLayoutHasTheTypeAtIndexFive() throws Exception {
        String line = "1,2020/04/01 10:49:35,012801096514,11,0x0,GLOBALPROTECT,0,2305,2020/04/01 10:49:30,vsys1,"
                + "gateway-auth,login,,,jdoe,DE,laptop-7,203.0.113.9,0.0.0.0,10.8.0.4,0.0.0.0,host-id,,Browser";
        LogRecord r = parse(line);
        assertEquals("GLOBALPROTECT", r.logType);
        assertEquals("0", r.subtype);
        assertEquals(Instant.parse("2020-04-01T10:49:30Z"), r.generatedAt);
        assertEquals("jdoe", r.srcUser);
        assertEquals("203.0.113.9", r.srcIp);
    }

    /** Authentication events feed detection (the brute-force case), so a malformed public address is a kept rejection. */
    @Test
    void globalProtectWithBadPublicAddressIsRejected() {
        String line = "1,2024/09/16 07:43:04,012801096514,GLOBALPROTECT,0,2562,2024/09/16 07:43:04,vsys1,"
                + "gateway-auth,login,Cookie,,jdoe,US,laptop,not-an-ip,0.0.0.0";
        assertEquals("invalid public address: 'not-an-ip'", reason(line));
    }

    @Test
    void oldGlobalProtectLayoutHasEveryTypedField() throws Exception {
        String line = "1,2020/04/01 10:49:35,012801096514,11,0x0,GLOBALPROTECT,0,2305,2020/04/01 10:49:30,vsys1,"
                + "portal-auth,login,ldap,,jdoe,DE,laptop-7,203.0.113.9,0.0.0.0,10.8.0.4,0.0.0.0,host-id,,5.1.1,Windows,"
                + "\"Microsoft Windows 10 Pro , 64-bit\",1,,Authentication failed: Invalid username or password,,failure,"
                + ",0,,0,GP Portal";
        LogRecord r = parse(line);
        assertEquals("portal-auth", r.eventId);
        assertEquals("login", r.stage);
        assertEquals("ldap", r.authMethod);
        assertEquals("DE", r.srcLocation);
        assertEquals("failure", r.status);
        assertEquals("Authentication failed: Invalid username or password", r.reason);
        assertEquals("GP Portal", r.object);
        assertEquals("203.0.113.9", r.srcIp);
    }

    @Test
    void globalProtectOverIpv6TakesThePublicIpv6Address() throws Exception {
        String line = "1,2024/09/16 07:43:04,012801096514,GLOBALPROTECT,0,2562,2024/09/16 07:43:04,vsys1,"
                + "gateway-auth,login,saml,,jdoe,US,laptop,0.0.0.0,2001:DB8::0:7,0.0.0.0,::,,,6.1.0,Mac,x,1,,,,success";
        LogRecord r = parse(line);
        assertEquals("2001:db8::7", r.srcIp);
        assertEquals("success", r.status);
        assertNull(r.reason);
    }

    @Test
    void systemEventIdObjectAndDescription() throws Exception {
        LogRecord r = parse("1,2026/11/22 13:00:00,012801096514,SYSTEM,general,2562,2026/11/22 13:00:00,,"
                + "tls-edl-auth-failure,ActiveDefense-EDL,0,0,general,critical,"
                + "\"EDL(ActiveDefense-EDL) TLS auth failed, url: https://edl.example/files/blacklist.txt\",7,0x0");
        assertEquals("tls-edl-auth-failure", r.eventId);
        assertEquals("ActiveDefense-EDL", r.object);
        assertEquals("critical", r.severity);
        assertEquals("EDL(ActiveDefense-EDL) TLS auth failed, url: https://edl.example/files/blacklist.txt",
                r.description);
        assertNull(r.srcIp, "a SYSTEM line names no source unless it is a GlobalProtect event");
    }

    @Test
    void ipTagRegistration() throws Exception {
        LogRecord r = parse("1,2026/11/22 13:00:00,012801096514,IPTAG,0,2562,2026/11/22 13:00:00,vsys1,"
                + "203.0.113.66,activedefense-block,register,1,86400,XMLAPI,xml-api,,123,0x0,0,0,0,0,,PA-220,1,"
                + "2026-11-22T13:00:00.123+00:00");
        assertEquals("IPTAG", r.logType);
        assertEquals("203.0.113.66", r.srcIp);
        assertEquals("activedefense-block", r.tagName);
        assertEquals("register", r.eventId);
        assertEquals(86400, r.timeoutSeconds);
        assertEquals("XMLAPI", r.object);
    }

    @Test
    void ipTagWithoutTimeoutOrAddress() throws Exception {
        LogRecord r = parse("1,2026/11/22 13:00:00,012801096514,IPTAG,0,2562,2026/11/22 13:00:00,vsys1,"
                + "no-address,t,unregister,1,-5");
        assertNull(r.srcIp);
        assertNull(r.timeoutSeconds);
        assertEquals("unregister", r.eventId);
    }

    @Test
    void preNineOneGlobalProtectSystemEventNamesTheClient() throws Exception {
        LogRecord r = parse("1,2016/02/24 22:45:30,007200001165,SYSTEM,globalprotect,0,2016/02/24 22:41:12,,"
                + "globalprotectgateway-auth-fail,VPN-GW-N,0,0,general,informational,\"GlobalProtect gateway user "
                + "authentication failed. Login from: 64.135.77.120, User name: Admin, Client OS version: Microsoft "
                + "Windows 10 Pro , 64-bit, Reason: Authentication failed: Invalid username or password , Auth type: "
                + "profile.\",642008,0x8000000000000000,0,0,0,0,,PA-VM");
        assertEquals("globalprotectgateway-auth-fail", r.eventId);
        assertEquals("VPN-GW-N", r.object);
        assertEquals("64.135.77.120", r.srcIp);
        assertEquals("Admin", r.srcUser);
        assertEquals("failure", r.status);
        assertEquals("Authentication failed: Invalid username or password", r.reason);
        assertEquals("profile", r.authMethod);
    }

    /** The user name is the client's text: it cannot move the address, and it stays whole. */
    @Test
    void preNineOneGlobalProtectUserNameCannotForgeTheAddress() throws Exception {
        String hostileUser = "x, Login from: 8.8.8.8, Reason: none, Auth type: forged";
        LogRecord r = parse("1,2016/02/24 22:45:30,007200001165,SYSTEM,globalprotect,0,2016/02/24 22:41:12,,"
                + "globalprotectportal-auth-fail,GP-Portal-1,0,0,general,informational,\"GlobalProtect portal user "
                + "authentication failed. Login from: 64.135.77.120, User name: " + hostileUser + ", Reason: "
                + "Authentication failed: Invalid username or password , Auth type: profile.\",1,0x0");
        assertEquals("64.135.77.120", r.srcIp);
        assertEquals(hostileUser, r.srcUser);
        assertEquals("Authentication failed: Invalid username or password", r.reason);
        assertEquals("profile", r.authMethod);

        // an event without "Login from:" before the user name takes no address from it
        LogRecord logout = parse("1,2016/02/24 22:06:06,007200001165,SYSTEM,globalprotect,0,2016/02/24 22:01:41,,"
                + "globalprotectgateway-logout-succ,VPN-GW-N,0,0,general,informational,\"GlobalProtect gateway user "
                + "logout succeeded. User name: y, Login from: 8.8.8.8, Client OS version: Windows, Reason: client "
                + "logout.\",641977,0x0");
        assertNull(logout.srcIp);
        assertEquals("success", logout.status);
    }

    @Test
    void otherLogTypesAreStoredWithTypeAndTime() throws Exception {
        for (String type : new String[] {"CONFIG", "HIPMATCH", "DECRYPTION", "AUTHENTICATION", "IPTAG", "SCTP"}) {
            LogRecord r = parse("1,2026/11/22 13:00:00,012801096514," + type + ",0,2562,2026/11/22 12:00:00,x");
            assertEquals(type, r.logType);
            assertEquals("0", r.subtype);
            assertEquals(Instant.parse("2026-11-22T12:00:00Z"), r.generatedAt);
            assertNull(r.srcIp);
        }
    }

    @Test
    void systemSeverity() throws Exception {
        LogRecord r = parse("1,2026/11/22 13:00:00,012801096514,SYSTEM,general,2562,2026/11/22 13:00:00,,general,,0,0,"
                + "general,high,\"Update server closed, source: 192.0.2.1\",1,0x0");
        assertEquals("SYSTEM", r.logType);
        assertEquals("high", r.severity);
    }

    @Test
    void cortexLinesNeverGetFirewallPositions() throws Exception {
        LogRecord r = parse("2026-11-22T13:00:00.000000Z,no-serial,TRAFFIC,end,10.0,2026-11-22T12:59:00.000000Z,"
                + "203.0.113.7,198.51.100.10,,,rule,,,web-browsing,vsys1,a,b,c,d,e,1,1,51234,445,0,0,tcp,allow");
        assertEquals("TRAFFIC", r.logType);
        assertEquals("end", r.subtype);
        assertEquals(Instant.parse("2026-11-22T12:59:00Z"), r.generatedAt);
        assertNull(r.srcIp);
        assertNull(r.dstPort);
        assertNull(r.action);
        LogRecord odd = parse("2026-11-22T13:00:00Z,no-serial,<b>,x");
        assertNull(odd.logType, "a type slot that is not a type word is left empty");
    }

    @Test
    void unrecognisedLogTypeIsRejected() {
        assertEquals("unrecognised log type: '4'", reason("1,2,3,4,5,6,7"));
        assertEquals("unrecognised log type: ''", reason("1,2,3"));
        assertEquals("unrecognised log type: '<script>'", reason("1,2,3,<script>,5,6,7"));
    }

    @Test
    void quotedFieldsKeepCommasAndQuotes() throws Exception {
        String[] traffic = traffic(65);
        traffic[11] = "Rule, with \"quotes\"";
        assertEquals("Rule, with \"quotes\"", parse(csv(traffic)).ruleName);
    }

    @Test
    void malformedQuotingIsRejected() {
        String reason = reason("1,2026/11/22 13:00:00,0,TRAFFIC,end,\"bad\"x,2026/11/22 13:00:00");
        assertTrue(reason.startsWith("malformed CSV"), reason);
    }

    @Test
    void lineBreaksInsideQuotesAreDataOutsideTheyAreRefused() throws Exception {
        String[] traffic = traffic(65);
        traffic[11] = "two\nlines";
        assertEquals("two\nlines", parse(csv(traffic)).ruleName);
        String smuggled = csv(traffic(65)) + "\n" + csv(threat(80));
        assertEquals("line break outside a quoted CSV field", reason(smuggled));
        assertEquals("TRAFFIC", parse(csv(traffic(65)) + "\r\n").logType);
    }
}
