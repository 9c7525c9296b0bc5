package org.activedefense.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.activedefense.policy.AddressPolicy.AllowlistEntry;
import org.activedefense.policy.AddressPolicy.Verdict;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The promise of the address policy: nothing special, ours, allowlisted or malformed is ever blockable. */
class AddressPolicyTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final AddressPolicy NO_LISTS = AddressPolicy.of("", "");
    private static final String RESERVED_V6 = "reserved IPv6 (outside global unicast 2000::/3, RFC 4291)";

    private static void assertBlockable(AddressPolicy policy, String address) {
        Verdict verdict = policy.check(address, NOW);
        assertTrue(verdict.blockable(), () -> address + " should be blockable, got: " + verdict.reason());
        assertNull(verdict.reason());
    }

    private static void assertNotBlockable(AddressPolicy policy, String address, String reason) {
        Verdict verdict = policy.check(address, NOW);
        assertFalse(verdict.blockable(), () -> printable(address) + " must not be blockable");
        assertEquals(reason, verdict.reason(), () -> "reason for " + printable(address));
    }

    private static String printable(String text) {
        return text == null ? "null" : "\"" + text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
    }

    /**
     * Every special-purpose range at its first, a middle and its last address, with the addresses
     * just outside it on both sides. An empty reason means "blockable".
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # 0.0.0.0/8 this network
            0.0.0.0           | this network (RFC 791)
            0.128.0.1         | this network (RFC 791)
            0.255.255.255     | this network (RFC 791)
            1.0.0.0           |
            # 10.0.0.0/8
            9.255.255.255     |
            10.0.0.0          | private address (RFC 1918)
            10.128.0.1        | private address (RFC 1918)
            10.255.255.255    | private address (RFC 1918)
            11.0.0.0          |
            # 100.64.0.0/10 CGNAT
            100.63.255.255    |
            100.64.0.0        | shared address space / CGNAT (RFC 6598)
            100.100.100.100   | shared address space / CGNAT (RFC 6598)
            100.127.255.255   | shared address space / CGNAT (RFC 6598)
            100.128.0.0       |
            # 127.0.0.0/8
            126.255.255.255   |
            127.0.0.0         | loopback
            127.0.0.1         | loopback
            127.255.255.255   | loopback
            128.0.0.0         |
            # 169.254.0.0/16
            169.253.255.255   |
            169.254.0.0       | link-local
            169.254.169.254   | link-local
            169.254.255.255   | link-local
            169.255.0.0       |
            # 172.16.0.0/12
            172.15.255.255    |
            172.16.0.0        | private address (RFC 1918)
            172.20.10.1       | private address (RFC 1918)
            172.31.255.255    | private address (RFC 1918)
            172.32.0.0        |
            # 192.0.0.0/24
            191.255.255.255   |
            192.0.0.0         | IETF protocol assignments (RFC 6890)
            192.0.0.170       | IETF protocol assignments (RFC 6890)
            192.0.0.255       | IETF protocol assignments (RFC 6890)
            192.0.1.0         |
            # 192.0.2.0/24 TEST-NET-1
            192.0.1.255       |
            192.0.2.0         | documentation range (RFC 5737)
            192.0.2.128       | documentation range (RFC 5737)
            192.0.2.255       | documentation range (RFC 5737)
            192.0.3.0         |
            # 192.31.196.0/24 AS112
            192.31.195.255    |
            192.31.196.0      | AS112 anycast (RFC 7535)
            192.31.196.1      | AS112 anycast (RFC 7535)
            192.31.196.255    | AS112 anycast (RFC 7535)
            192.31.197.0      |
            # 192.52.193.0/24 AMT
            192.52.192.255    |
            192.52.193.0      | AMT relay anycast (RFC 7450)
            192.52.193.100    | AMT relay anycast (RFC 7450)
            192.52.193.255    | AMT relay anycast (RFC 7450)
            192.52.194.0      |
            # 192.88.99.0/24 6to4 relay anycast
            192.88.98.255     |
            192.88.99.0       | 6to4 relay anycast (RFC 3068, deprecated by RFC 7526)
            192.88.99.1       | 6to4 relay anycast (RFC 3068, deprecated by RFC 7526)
            192.88.99.255     | 6to4 relay anycast (RFC 3068, deprecated by RFC 7526)
            192.88.100.0      |
            # 192.168.0.0/16
            192.167.255.255   |
            192.168.0.0       | private address (RFC 1918)
            192.168.1.1       | private address (RFC 1918)
            192.168.255.255   | private address (RFC 1918)
            192.169.0.0       |
            # 192.175.48.0/24 AS112 direct delegation
            192.175.47.255    |
            192.175.48.0      | AS112 direct delegation (RFC 7534)
            192.175.48.6      | AS112 direct delegation (RFC 7534)
            192.175.48.255    | AS112 direct delegation (RFC 7534)
            192.175.49.0      |
            # 198.18.0.0/15 benchmarking
            198.17.255.255    |
            198.18.0.0        | benchmarking (RFC 2544)
            198.19.0.1        | benchmarking (RFC 2544)
            198.19.255.255    | benchmarking (RFC 2544)
            198.20.0.0        |
            # 198.51.100.0/24 TEST-NET-2
            198.51.99.255     |
            198.51.100.0      | documentation range (RFC 5737)
            198.51.100.77     | documentation range (RFC 5737)
            198.51.100.255    | documentation range (RFC 5737)
            198.51.101.0      |
            # 203.0.113.0/24 TEST-NET-3
            203.0.112.255     |
            203.0.113.0       | documentation range (RFC 5737)
            203.0.113.99      | documentation range (RFC 5737)
            203.0.113.255     | documentation range (RFC 5737)
            203.0.114.0       |
            # 224.0.0.0/4 multicast
            223.255.255.255   |
            224.0.0.0         | multicast
            232.1.2.3         | multicast
            239.255.255.255   | multicast
            240.0.0.0         | reserved (RFC 1112)
            # 240.0.0.0/4 reserved, with the limited broadcast address at its end
            247.1.2.3         | reserved (RFC 1112)
            255.255.255.254   | reserved (RFC 1112)
            255.255.255.255   | limited broadcast
            # ::/128 and ::1/128
            ::                | unspecified address (RFC 4291)
            ::1               | loopback
            ::2               | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            # 64:ff9b::/96 NAT64
            64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            64:ff9b::                             | NAT64 (RFC 6052): stands for an IPv4 host, judge the IPv4 address instead
            64:ff9b::808:808                      | NAT64 (RFC 6052): stands for an IPv4 host, judge the IPv4 address instead
            64:ff9b::ffff:ffff                    | NAT64 (RFC 6052): stands for an IPv4 host, judge the IPv4 address instead
            64:ff9b::1:0:0                        | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            # 64:ff9b:1::/48 local-use NAT64
            64:ff9b:0:ffff:ffff:ffff:ffff:ffff    | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            64:ff9b:1::                           | local-use NAT64 (RFC 8215): stands for an IPv4 host, judge the IPv4 address instead
            64:ff9b:1:1::1                        | local-use NAT64 (RFC 8215): stands for an IPv4 host, judge the IPv4 address instead
            64:ff9b:1:ffff:ffff:ffff:ffff:ffff    | local-use NAT64 (RFC 8215): stands for an IPv4 host, judge the IPv4 address instead
            64:ff9b:2::                           | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            # 100::/64 discard-only
            ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            100::                                 | discard-only (RFC 6666)
            100::1                                | discard-only (RFC 6666)
            100::ffff:ffff:ffff:ffff              | discard-only (RFC 6666)
            100:0:0:1::                           | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            # 2001::/32 Teredo, inside 2001::/23 IETF protocol assignments
            2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff |
            2001::                                  | Teredo (RFC 4380): stands for an IPv4 host, judge the IPv4 address instead
            2001:0:4136:e378:8000:63bf:3fff:fdd2    | Teredo (RFC 4380): stands for an IPv4 host, judge the IPv4 address instead
            2001:0:ffff:ffff:ffff:ffff:ffff:ffff    | Teredo (RFC 4380): stands for an IPv4 host, judge the IPv4 address instead
            2001:1::                                | IETF protocol assignments (RFC 6890)
            2001:2::1                               | IETF protocol assignments (RFC 6890)
            2001:100::1                             | IETF protocol assignments (RFC 6890)
            2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff  | IETF protocol assignments (RFC 6890)
            2001:200::                              |
            # 2001:db8::/32 documentation
            2001:db7:ffff:ffff:ffff:ffff:ffff:ffff  |
            2001:db8::                              | IPv6 documentation (RFC 3849)
            2001:db8:1234::1                        | IPv6 documentation (RFC 3849)
            2001:db8:ffff:ffff:ffff:ffff:ffff:ffff  | IPv6 documentation (RFC 3849)
            2001:db9::                              |
            # 2002::/16 6to4
            2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff |
            2002::                                  | 6to4 (RFC 3056): stands for an IPv4 host, judge the IPv4 address instead
            2002:808:808::1                         | 6to4 (RFC 3056): stands for an IPv4 host, judge the IPv4 address instead
            2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 6to4 (RFC 3056): stands for an IPv4 host, judge the IPv4 address instead
            2003::                                  |
            # 2620:4f:8000::/48 AS112 direct delegation
            2620:4f:7fff:ffff:ffff:ffff:ffff:ffff   |
            2620:4f:8000::                          | AS112 direct delegation (RFC 7534)
            2620:4f:8000::42                        | AS112 direct delegation (RFC 7534)
            2620:4f:8000:ffff:ffff:ffff:ffff:ffff   | AS112 direct delegation (RFC 7534)
            2620:4f:8001::                          |
            # 3fff::/20 documentation
            3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff |
            3fff::                                  | IPv6 documentation (RFC 9637)
            3fff:800::1                             | IPv6 documentation (RFC 9637)
            3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff  | IPv6 documentation (RFC 9637)
            3fff:1000::                             |
            # 5f00::/16 SRv6 SIDs (outside 2000::/3, so its neighbours are reserved)
            5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            5f00::                                  | SRv6 SIDs (RFC 9602)
            5f00:1234::1                            | SRv6 SIDs (RFC 9602)
            5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff | SRv6 SIDs (RFC 9602)
            5f01::                                  | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            # fc00::/7 unique local
            fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            fc00::                                  | unique local IPv6 (RFC 4193)
            fd12:3456:789a::1                       | unique local IPv6 (RFC 4193)
            fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | unique local IPv6 (RFC 4193)
            fe00::                                  | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            # fe80::/10 link-local
            fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            fe80::                                  | link-local
            fe80::1                                 | link-local
            febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff | link-local
            fec0::                                  | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            # ff00::/8 multicast
            feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            ff00::                                  | multicast
            ff02::1                                 | multicast
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | multicast
            # 2000::/3 global unicast and what lies outside it
            1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            2000::                                  |
            3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff |
            4000::                                  | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            ::8.8.8.8                               | reserved IPv6 (outside global unicast 2000::/3, RFC 4291)
            """)
    void specialPurposeRangesAndTheirNeighbours(String address, String reason) {
        if (reason == null) {
            assertBlockable(NO_LISTS, address);
        } else {
            assertNotBlockable(NO_LISTS, address, reason);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "45.33.32.156", "9.9.9.9", "2606:4700:4700::1111",
            "2001:4860:4860::8888", "2a00:1450:4001:82b::200e", "2606:4700:4700:0:0:0:0:1111", "2A00:1450:4001:82B::200E"})
    void plainPublicAddressesAreBlockable(String address) {
        assertBlockable(NO_LISTS, address);
    }

    static Stream<String> hostileStrings() {
        return Stream.of(
                // from the brief
                "1.2.3.4/32", "1.2.3.4 ", " 8.8.8.8", "8.8.8.8,1.1.1.1", "08.8.8.8", "8.8.8",
                "::ffff:999.1.1.1", "fe80::1%eth0", "localhost", "", null, "1.2.3.4\n5.6.7.8",
                // other spellings inet_aton or lenient parsers accept
                "8.8.8.8\n", "8.8.8.8\r", "\t8.8.8.8", "8.8.8.8\u0000", "8.8.8.8 1.1.1.1", "8.8.8.8;1.1.1.1",
                "1.2.3.04", "010.8.8.8", "0x8.8.8.8", "0x08080808", "134744072", "8.8.2056", "8.526344",
                "8.8.8.8.", ".8.8.8.8", "8..8.8", "1.2.3.256", "-1.2.3.4", "+1.2.3.4", "8.8.8.8:53",
                "8.8.8.*", "*", "*.*.*.*", "8.8.8.0-255", "8.8.8.0-8.8.8.255", "8.8.8.8/0", "8.8.8.8/255.255.255.255",
                "1.2.3.4 # comment", "google.com", "8.8.8.8.in-addr.arpa", "%", ":", ":::", "::::",
                "\uFF18.8.8.8", "\u0668.\u0668.\u0668.\u0668", "\uD835\uDFD6.8.8.8", "８.８.８.８",
                // IPv6 that is not exactly one address
                "[2606:4700:4700::1111]", "2606:4700:4700::1111/128", "2606:4700:4700::1111%1",
                "2606:4700:4700::1111 ", "2606:4700:4700::1111\n", "2606:4700:4700:::1111",
                "2606:4700:4700::1111::", ":2606:4700:4700::1111", "2606:4700:4700::1111:",
                "2606:4700:4700::11111", "2606:4700:4700:0:0:0:0:1111:1", "2606:4700:4700:0:0:0:1111",
                "1::2::3", "2606:4700:4700::*", "2606:4700:4700::1-2", "2606:4700:4700::g",
                "1:2:3:4:5:6:7:1.2.3.4", "::ffff:08.8.8.8", "::ffff:8.8.8", "::ffff:8.8.8.8.8",
                "::ffff:8.8.8.8/128", "::ffff:8.8.8.8:1", "1.2.3.4::", "0:0:0:0:0:ffff:8.8.8.8:1",
                "2606:4700:4700::0x1111", "2606:4700:4700::+1", "2606:4700:4700::-1", "ff02::1%25eth0",
                "1".repeat(10_000));
    }

    @ParameterizedTest
    @MethodSource("hostileStrings")
    void anythingButExactlyOneAddressIsNotBlockable(String text) {
        AddressPolicy permissive = AddressPolicy.of("", "");
        assertNotBlockable(permissive, text, "not a single IP address");
        assertThrows(IllegalArgumentException.class, () -> AddressPolicy.canonical(text));
    }

    @Nested
    class Ipv4Mapped {

        @Test
        void isJudgedAsTheIpv4AddressItStandsFor() {
            assertBlockable(NO_LISTS, "::ffff:8.8.8.8");
            assertBlockable(NO_LISTS, "::FFFF:8.8.8.8");
            assertBlockable(NO_LISTS, "::ffff:808:808");
            assertBlockable(NO_LISTS, "0:0:0:0:0:ffff:8.8.8.8");
            assertNotBlockable(NO_LISTS, "::ffff:10.0.0.1", "IPv4-mapped 10.0.0.1: private address (RFC 1918)");
            assertNotBlockable(NO_LISTS, "::ffff:a00:1", "IPv4-mapped 10.0.0.1: private address (RFC 1918)");
            assertNotBlockable(NO_LISTS, "::ffff:127.0.0.1", "IPv4-mapped 127.0.0.1: loopback");
            assertNotBlockable(NO_LISTS, "::ffff:0:0", "IPv4-mapped 0.0.0.0: this network (RFC 791)");
            assertNotBlockable(NO_LISTS, "::ffff:ffff:ffff", "IPv4-mapped 255.255.255.255: limited broadcast");
            assertNotBlockable(NO_LISTS, "::ffff:203.0.113.9", "IPv4-mapped 203.0.113.9: documentation range (RFC 5737)");
        }

        @Test
        void isProtectedByOwnNetworksAndAllowlistInEitherNotation() {
            AddressPolicy policy = AddressPolicy.of("45.33.32.0/24", "::ffff:8.8.4.0/120");
            assertNotBlockable(policy, "::ffff:45.33.32.156", "IPv4-mapped 45.33.32.156: our own network 45.33.32.0/24");
            assertNotBlockable(policy, "8.8.4.4", "allowlisted 8.8.4.0/24");
            assertNotBlockable(policy, "::ffff:8.8.4.4", "IPv4-mapped 8.8.4.4: allowlisted 8.8.4.0/24");
            assertBlockable(policy, "::ffff:8.8.8.8");
        }

        @Test
        void hasTheIpv4AddressAsItsCanonicalForm() {
            assertEquals("8.8.8.8", AddressPolicy.canonical("::ffff:8.8.8.8"));
            assertEquals("8.8.8.8", AddressPolicy.canonical("::FFFF:0808:0808"));
            assertEquals("2606:4700:4700::1111", AddressPolicy.canonical("2606:4700:4700:0:0:0:0:1111"));
            assertEquals("2a00:1450:4001:82b::200e", AddressPolicy.canonical("2A00:1450:4001:082B:0:0:0:200E"));
        }
    }

    @Test
    void nat64And6to4FormsOfPublicIpv4HostsAreNotBlockable() {
        assertFalse(NO_LISTS.check("64:ff9b::8.8.8.8", NOW).blockable());
        assertFalse(NO_LISTS.check("64:ff9b::10.0.0.1", NOW).blockable());
        assertFalse(NO_LISTS.check("64:ff9b:1::8.8.8.8", NOW).blockable());
        assertFalse(NO_LISTS.check("2002:808:808::", NOW).blockable());
        assertFalse(NO_LISTS.check("2002:0a00:0001::1", NOW).blockable());
        assertTrue(NO_LISTS.check("64:ff9b::8.8.8.8", NOW).reason().contains("IPv4 host"));
        assertTrue(NO_LISTS.check("2002:808:808::", NOW).reason().contains("IPv4 host"));
    }

    @Nested
    class OwnNetworks {

        private final AddressPolicy policy = AddressPolicy.of(
                "45.33.32.0/24, 1.1.1.1,2a00:1450:4001::/48 , 2606:4700:4700::1111", "");

        @Test
        void protectCidrsAndSingleAddressesInBothFamilies() {
            assertBlockable(policy, "45.33.31.255");
            assertNotBlockable(policy, "45.33.32.0", "our own network 45.33.32.0/24");
            assertNotBlockable(policy, "45.33.32.156", "our own network 45.33.32.0/24");
            assertNotBlockable(policy, "45.33.32.255", "our own network 45.33.32.0/24");
            assertBlockable(policy, "45.33.33.0");
            assertNotBlockable(policy, "1.1.1.1", "our own network 1.1.1.1");
            assertBlockable(policy, "1.1.1.2");
            assertNotBlockable(policy, "2a00:1450:4001:82b::200e", "our own network 2a00:1450:4001::/48");
            assertBlockable(policy, "2a00:1450:4002::1");
            assertNotBlockable(policy, "2606:4700:4700:0::1111", "our own network 2606:4700:4700::1111");
            assertBlockable(policy, "2606:4700:4700::1001");
        }

        @Test
        void comeAfterSpecialPurposeRanges() {
            AddressPolicy documentationNetwork = AddressPolicy.of("198.51.100.0/24", "");
            assertNotBlockable(documentationNetwork, "198.51.100.7", "documentation range (RFC 5737)");
        }

        @Test
        void meanTheWholeNetworkWhenWrittenWithHostBits() {
            AddressPolicy interfaceAddress = AddressPolicy.of("45.33.32.156/24", "");
            assertNotBlockable(interfaceAddress, "45.33.32.1", "our own network 45.33.32.0/24");
        }

        @Test
        void comeBeforeTheAllowlist() {
            AddressPolicy both = AddressPolicy.of("45.33.32.0/24", "45.33.0.0/16");
            assertNotBlockable(both, "45.33.32.1", "our own network 45.33.32.0/24");
            assertNotBlockable(both, "45.33.33.1", "allowlisted 45.33.0.0/16");
        }

        @Test
        void canBeGivenAsAList() {
            AddressPolicy listed = new AddressPolicy(List.of("45.33.32.0/24"), List.of());
            assertNotBlockable(listed, "45.33.32.9", "our own network 45.33.32.0/24");
        }
    }

    @Nested
    class Allowlist {

        @Test
        void protectsCidrsAndSingleAddressesWithTheirComment() {
            AddressPolicy policy = new AddressPolicy(List.of(), List.of(
                    new AllowlistEntry("8.8.4.0/24", "office", null),
                    new AllowlistEntry("9.9.9.9", "resolver", null),
                    new AllowlistEntry("2a00:1450::/32", "partner", null),
                    new AllowlistEntry("2606:4700:4700::1111", null, null),
                    new AllowlistEntry("1.0.0.1", "  ", null)));
            assertNotBlockable(policy, "8.8.4.4", "allowlisted 8.8.4.0/24 (office)");
            assertBlockable(policy, "8.8.5.0");
            assertNotBlockable(policy, "9.9.9.9", "allowlisted 9.9.9.9 (resolver)");
            assertBlockable(policy, "9.9.9.10");
            assertNotBlockable(policy, "2a00:1450:ffff::1", "allowlisted 2a00:1450::/32 (partner)");
            assertNotBlockable(policy, "2606:4700:4700::1111", "allowlisted 2606:4700:4700::1111");
            assertBlockable(policy, "2606:4700:4700::1112");
            assertNotBlockable(policy, "1.0.0.1", "allowlisted 1.0.0.1");
        }

        @Test
        void expiredEntriesNoLongerProtect() {
            AddressPolicy policy = new AddressPolicy(List.of(), List.of(
                    new AllowlistEntry("8.8.8.8", "expired", NOW.minusSeconds(1)),
                    new AllowlistEntry("1.1.1.1", "active", NOW.plus(Duration.ofHours(1))),
                    new AllowlistEntry("9.9.9.9", "expires now", NOW),
                    new AllowlistEntry("2606:4700:4700::1111", "expired", NOW.minus(Duration.ofDays(1))),
                    new AllowlistEntry("2606:4700:4700::1001", "active", NOW.plus(Duration.ofDays(1)))));
            assertBlockable(policy, "8.8.8.8");
            assertNotBlockable(policy, "1.1.1.1", "allowlisted 1.1.1.1 (active)");
            assertNotBlockable(policy, "9.9.9.9", "allowlisted 9.9.9.9 (expires now)");
            assertBlockable(policy, "2606:4700:4700::1111");
            assertNotBlockable(policy, "2606:4700:4700::1001", "allowlisted 2606:4700:4700::1001 (active)");
            assertTrue(policy.check("1.1.1.1", NOW.plus(Duration.ofHours(2))).blockable());
        }

        @Test
        void tableEntriesAddToTheConfiguredOnesWithoutChangingThePolicy() {
            AddressPolicy configured = AddressPolicy.of("45.33.32.0/24", "8.8.4.0/24");
            AddressPolicy withTable = configured.withAllowlist(List.of(new AllowlistEntry("1.1.1.0/24", "cdn", null)));
            assertNotBlockable(withTable, "1.1.1.1", "allowlisted 1.1.1.0/24 (cdn)");
            assertNotBlockable(withTable, "8.8.4.4", "allowlisted 8.8.4.0/24");
            assertNotBlockable(withTable, "45.33.32.1", "our own network 45.33.32.0/24");
            assertBlockable(configured, "1.1.1.1");
        }

        @Test
        void commentsStayOnOneLine() {
            AddressPolicy policy = AddressPolicy.of("", "").withAllowlist(
                    List.of(new AllowlistEntry("8.8.8.8", "dns\r\nBcc: x@example.com", null)));
            assertNotBlockable(policy, "8.8.8.8", "allowlisted 8.8.8.8 (dns  Bcc: x@example.com)");
        }
    }

    @Nested
    class Configuration {

        @Test
        void blankOrMissingListsProtectNothingExtra() {
            assertBlockable(AddressPolicy.of(null, null), "8.8.8.8");
            assertBlockable(AddressPolicy.of(" ", ", ,"), "8.8.8.8");
        }

        @ParameterizedTest
        @ValueSource(strings = {"10.0.0.0/33", "example.com", "08.0.0.0/8", "10.0.0.0/08", "10.0.0.0/", "/8",
                "10.0.0.0/-1", "10.0.0.*", "10.0.0.0-10.0.0.9", "2001:db8::/129", "fe80::/10%eth0", "10.0.0.0 /8"})
        void badOwnNetworkNamesItemAndProperty(String item) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AddressPolicy.of("45.33.32.0/24," + item, ""));
            assertTrue(e.getMessage().contains("policy.own-networks"), e.getMessage());
            assertTrue(e.getMessage().contains(item), e.getMessage());
        }

        @Test
        void badAllowlistItemNamesItemAndProperty() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AddressPolicy.of("", "8.8.4.0/24, 1.2.3"));
            assertTrue(e.getMessage().contains("policy.allowlist"), e.getMessage());
            assertTrue(e.getMessage().contains("1.2.3"), e.getMessage());
        }

        @Test
        void badTableEntryIsRejected() {
            AddressPolicy configured = AddressPolicy.of("", "");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> configured.withAllowlist(List.of(new AllowlistEntry("office", "x", null))));
            assertTrue(e.getMessage().contains("allowlist table"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> configured.withAllowlist(List.of(new AllowlistEntry(null, "x", null))));
        }

        @Test
        void prefixZeroIsAcceptedAndProtectsItsWholeFamily() {
            AddressPolicy everything = AddressPolicy.of("", "0.0.0.0/0");
            assertNotBlockable(everything, "8.8.8.8", "allowlisted 0.0.0.0/0");
            assertBlockable(everything, "2606:4700:4700::1111");
        }
    }

    @Test
    void verdictHasAReasonExactlyWhenNotBlockable() {
        assertThrows(IllegalArgumentException.class, () -> new Verdict(true, "because"));
        assertThrows(IllegalArgumentException.class, () -> new Verdict(false, null));
    }

    @Test
    void aMissingClockIsAnErrorNotAVerdict() {
        assertThrows(NullPointerException.class, () -> NO_LISTS.check("8.8.8.8", null));
    }
}
