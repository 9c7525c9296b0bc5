package org.activedefense;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds PAN-OS default-format CSV lines field by field (positions as in PAN-OS' syslog field docs). */
final class PanosLines {

    private PanosLines() {
    }

    /** A PAN-OS 8.1 layout TRAFFIC record (65 fields) with the given positions filled. */
    static String traffic(Map<Integer, String> fields) {
        String[] f = new String[65];
        Arrays.fill(f, "");
        f[0] = "1";
        f[1] = "2026/11/22 13:00:00";
        f[2] = "012801096514";
        f[3] = "TRAFFIC";
        f[4] = "drop";
        f[5] = "2049";
        f[6] = "2026/11/22 12:59:58";
        f[7] = "203.0.113.50";
        f[8] = "198.51.100.10";
        f[9] = "0.0.0.0";
        f[10] = "0.0.0.0";
        f[11] = "interzone-default";
        f[14] = "not-applicable";
        f[15] = "vsys1";
        f[16] = "untrust";
        f[17] = "trust";
        f[18] = "ethernet1/1";
        f[20] = "Log-Forward";
        f[22] = "0";
        f[23] = "1";
        f[24] = "51515";
        f[25] = "3389";
        f[26] = "0";
        f[27] = "0";
        f[28] = "0x0";
        f[29] = "tcp";
        f[30] = "deny";
        f[31] = "60";
        f[37] = "any";
        f[39] = "7123";
        f[40] = "0x0";
        f[41] = "China";
        f[42] = "10.0.0.0-10.255.255.255";
        f[46] = "policy-deny";
        f[52] = "PA-220";
        fields.forEach((i, v) -> f[i] = v);
        return String.join(",", f);
    }

    /** A PAN-OS 9.0 layout THREAT record (78 fields) with the given positions filled. */
    static String threat(Map<Integer, String> fields) {
        String[] f = new String[78];
        Arrays.fill(f, "");
        f[0] = "1";
        f[1] = "2026/11/22 13:00:01";
        f[2] = "012801096514";
        f[3] = "THREAT";
        f[4] = "vulnerability";
        f[5] = "2304";
        f[6] = "2026/11/22 13:00:01";
        f[7] = "192.0.2.66";
        f[8] = "198.51.100.20";
        f[11] = "Inbound web";
        f[14] = "web-browsing";
        f[16] = "untrust";
        f[17] = "dmz";
        f[24] = "40000";
        f[25] = "80";
        f[29] = "tcp";
        f[30] = "reset-both";
        f[31] = "\"www.example.com/cgi-bin/a,b.cgi\"";
        f[32] = "Bash Remote Code Execution Vulnerability (CVE-2014-6271)(36729)";
        f[33] = "code-execution";
        f[34] = "critical";
        f[35] = "client-to-server";
        f[38] = "Netherlands";
        f[39] = "10.0.0.0-10.255.255.255";
        f[76] = "7a8b0c1d-1111-2222-3333-444455556666";
        fields.forEach((i, v) -> f[i] = v);
        return String.join(",", f);
    }

    /** The product's own key=value custom log format (docs/firewall-setup.md), filled in. */
    static String keyValue(Map<String, String> values) {
        String[] keys = {"SrcLocation", "SrcIP", "SrcPort", "SrcUser", "DstLocation", "DstIP", "DstPort", "Action",
            "RuleName", "RuleID", "TimeReceived", "ThreatName", "ThreatID", "Severity", "Subtype", "Type"};
        return Arrays.stream(keys)
                .map(k -> k + "=" + (k.equals("Type") ? " " : "") + values.getOrDefault(k, ""))
                .collect(Collectors.joining("; ")) + ";";
    }
}
