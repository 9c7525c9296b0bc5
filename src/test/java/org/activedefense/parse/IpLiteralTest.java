package org.activedefense.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest
    @CsvSource({
        "1.2.3.4, 1.2.3.4",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "192.0.2.10, 192.0.2.10",
        "::1, ::1",
        "::, ::",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "fc00::1234, fc00::1234",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        // RFC 5952: a single zero group is not compressed.
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "::ffff:1.2.3.4, 1.2.3.4",
        "::FFFF:0102:0304, 1.2.3.4",
        "::ffff:203.0.113.7, 203.0.113.7",
    })
    void returnsCanonicalText(String text, String canonical) {
        assertEquals(canonical, IpLiteral.canonical(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "999.1.1.1", "256.1.1.1", "1.2.3.256", "00.00.000.00", "010.1.1.1", "1.2.3.04", "01.2.3.4",
        "1.2.3", "1.2.3.4.5", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3.-4", "+1.2.3.4", " 1.2.3.4", "1.2.3.4 ",
        "1.2.3.4/32", "0x1.2.3.4", "0x7f000001", "2130706433", "127.1", "1.2.3.4\n", "１.２.３.４", "1111.1.1.1",
        "fe80::1%eth0", "fe80::1%25eth0", "2001:db8::/64", "2001:db8::1/128", "[::1]", "[::1]:80", "2001:db8::1-2",
        "*::", "*.*.*.*", "1.2.3.*", "1::2::3", ":::", "1:2:3:4:5:6:7:8:9", "00000::1", "::ffff:01.2.3.4",
        "::ffff:1.2.3", "g::1", "localhost", "example.com", "10.2.75.414", "1.2.3.4,5.6.7.8", "::1 ::2",
        "<script>alert(1)</script>", "'; DROP TABLE firewall_log;--"
    })
    void rejectsEverythingThatIsNotExactlyOneAddress(String text) {
        assertNull(IpLiteral.canonical(text), text);
    }

    @Test
    void nullIsNotAnAddress() {
        assertNull(IpLiteral.canonical(null));
    }

    @Test
    void ipv4CompatibleAddressStaysIpv6() {
        // Deprecated ::a.b.c.d is not IPv4-mapped; folding it into IPv4 would change the address.
        assertEquals("::102:304", IpLiteral.canonical("::1.2.3.4"));
    }

    @Test
    void veryLongTextIsRejectedWithoutParsing() {
        assertNull(IpLiteral.canonical("1".repeat(100_000)));
        assertNull(IpLiteral.canonical("1:".repeat(50_000)));
    }
}
