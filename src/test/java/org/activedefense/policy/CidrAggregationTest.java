package org.activedefense.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Aggregation may shorten the block list but must never block one address more. */
class CidrAggregationTest {

    private static List<String> range(String prefix, int from, int toInclusive) {
        return IntStream.rangeClosed(from, toInclusive).mapToObj(i -> prefix + i).toList();
    }

    @Test
    void alignedRunBecomesOneBlock() {
        assertEquals(List.of("203.0.113.0/30"), CidrAggregation.aggregate(range("203.0.113.", 0, 3)));
        assertEquals(List.of("203.0.113.0/24"), CidrAggregation.aggregate(range("203.0.113.", 0, 255)));
    }

    @Test
    void unalignedPairStaysTwoAddresses() {
        assertEquals(List.of("203.0.113.1", "203.0.113.2"), CidrAggregation.aggregate(range("203.0.113.", 1, 2)));
    }

    @Test
    void tenAddressesNeverBecomeSixteen() {
        assertEquals(List.of("203.0.113.0/29", "203.0.113.8/31"), CidrAggregation.aggregate(range("203.0.113.", 0, 9)));
        assertEquals(List.of("203.0.113.3", "203.0.113.4/30", "203.0.113.8/30", "203.0.113.12"),
                CidrAggregation.aggregate(range("203.0.113.", 3, 12)));
    }

    @Test
    void singleAddressesHaveNoPrefixLength() {
        List<String> result = CidrAggregation.aggregate(List.of("8.8.8.8", "2606:4700:4700::1111"));
        assertEquals(List.of("8.8.8.8", "2606:4700:4700::1111"), result);
    }

    @Test
    void duplicatesCollapse() {
        assertEquals(List.of("8.8.8.8"), CidrAggregation.aggregate(List.of("8.8.8.8", "8.8.8.8", "::ffff:8.8.8.8")));
        assertEquals(List.of("2606:4700:4700::1111"),
                CidrAggregation.aggregate(List.of("2606:4700:4700::1111", "2606:4700:4700:0:0:0:0:1111")));
    }

    @Test
    void ipv4ComesFirstThenIpv6EachInNumericOrder() {
        List<String> result = CidrAggregation.aggregate(List.of(
                "2a00:1450::1", "10.0.0.1", "2606:4700:4700::1111", "9.0.0.1", "100.0.0.1", "2001:4860:4860::8888",
                "::ffff:1.2.3.4", "1.2.3.5"));
        assertEquals(List.of("1.2.3.4/31", "9.0.0.1", "10.0.0.1", "100.0.0.1",
                "2001:4860:4860::8888", "2606:4700:4700::1111", "2a00:1450::1"), result);
    }

    @Test
    void ipv6RunsMergeLikeIpv4() {
        assertEquals(List.of("2001:db8::/126"), CidrAggregation.aggregate(
                List.of("2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3")));
        assertEquals(List.of("2001:db8::1", "2001:db8::2"), CidrAggregation.aggregate(
                List.of("2001:db8::2", "2001:db8::1")));
        assertEquals(List.of("2001:db8::ff00/120"), CidrAggregation.aggregate(
                IntStream.rangeClosed(0xff00, 0xffff).mapToObj(i -> "2001:db8::" + Integer.toHexString(i)).toList()));
    }

    @Test
    void familiesNeverMergeWithEachOther() {
        assertEquals(List.of("0.0.0.0/31", "::/127"), CidrAggregation.aggregate(List.of("::", "0.0.0.0", "::1", "0.0.0.1")));
    }

    @Test
    void emptyInputGivesEmptyList() {
        assertEquals(List.of(), CidrAggregation.aggregate(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4/32", "203.0.113.0/30", "08.8.8.8", "8.8.8", "x", "", " 8.8.8.8", "fe80::1%eth0",
            "2001:db8::/64"})
    void invalidEntryIsRejected(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CidrAggregation.aggregate(List.of("8.8.8.8", bad)));
        assertTrue(e.getMessage().contains(bad), e.getMessage());
    }

    @Test
    void nullEntryIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> CidrAggregation.aggregate(Arrays.asList("8.8.8.8", null)));
    }

    /** Random subsets of a /24 and of an IPv6 /120: the blocks expand back to exactly the input, and none could be wider. */
    @Test
    void randomSetsAreCoveredExactlyAndMinimally() {
        Random random = new Random(20250601L);
        for (int round = 0; round < 200; round++) {
            double density = random.nextDouble();
            // Canonical spellings, as expanded blocks print them; the input uses other spellings on purpose.
            Set<String> expected = new HashSet<>();
            List<String> input = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                if (random.nextDouble() < density) {
                    expected.add("198.51.100." + i);
                    input.add(random.nextBoolean() ? "198.51.100." + i : "::ffff:198.51.100." + i);
                }
                if (random.nextDouble() < density) {
                    expected.add(canonical("2001:db8:1::" + Integer.toHexString(i)));
                    input.add(random.nextBoolean() ? "2001:db8:1::" + Integer.toHexString(i)
                            : "2001:DB8:1:0:0:0:0:" + String.format("%04X", i));
                }
            }
            Collections.shuffle(input, random);

            List<String> blocks = CidrAggregation.aggregate(input);

            Set<String> expanded = new HashSet<>();
            int expandedCount = 0;
            for (String block : blocks) {
                assertFalse(block.endsWith("/32") || block.endsWith("/128"), block);
                for (String address : expand(block)) {
                    expanded.add(address);
                    expandedCount++;
                }
                assertNotWidenable(block, expected);
            }
            assertEquals(expected, expanded, "round " + round);
            assertEquals(expected.size(), expandedCount, "blocks overlap in round " + round);
        }
    }

    /** The parent of every output block must hold an address that was not asked for, or the output was not minimal. */
    private static void assertNotWidenable(String block, Set<String> asked) {
        IPAddress parsed = new IPAddressString(block).getAddress();
        int bits = parsed.getNetworkPrefixLength() == null ? parsed.getBitCount() : parsed.getNetworkPrefixLength();
        IPAddress parent = parsed.toPrefixBlock(bits - 1);
        assertFalse(asked.containsAll(expand(parent.toCanonicalString())),
                () -> block + " could have been merged into " + parent);
    }

    private static List<String> expand(String block) {
        IPAddress parsed = new IPAddressString(block).getAddress().toPrefixBlock();
        assertTrue(parsed.getCount().compareTo(BigInteger.valueOf(65_536)) <= 0, block);
        List<String> addresses = new ArrayList<>();
        for (Iterator<? extends IPAddress> it = parsed.withoutPrefixLength().iterator(); it.hasNext(); ) {
            addresses.add(it.next().toCanonicalString());
        }
        return addresses;
    }

    private static String canonical(String address) {
        return new IPAddressString(address).getAddress().toCanonicalString();
    }
}
