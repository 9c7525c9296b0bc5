package org.activedefense.policy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import inet.ipaddr.IPAddress;

/**
 * Shortens a block list by merging single addresses into the fewest CIDR blocks that cover exactly
 * those addresses, never one address more.
 */
public final class CidrAggregation {

    private CidrAggregation() {
    }

    /**
     * Merges {@code addresses} into prefix blocks: IPv4 first, then IPv6, each in numeric order; a
     * block of one address is written without {@code /32} or {@code /128}; duplicates collapse and
     * an IPv4-mapped address counts as its IPv4 address.
     *
     * @throws IllegalArgumentException if any entry is not exactly one IP address
     */
    public static List<String> aggregate(Collection<String> addresses) {
        Set<IPAddress> ipv4 = new LinkedHashSet<>();
        Set<IPAddress> ipv6 = new LinkedHashSet<>();
        for (String text : addresses) {
            IPAddress address = AddressLiteralParser.parseAddress(text);
            if (address == null) {
                throw new IllegalArgumentException("not a single IP address: \"" + text + "\"");
            }
            (address.isIPv4() ? ipv4 : ipv6).add(address);
        }
        List<String> result = new ArrayList<>();
        for (Set<IPAddress> family : List.of(ipv4, ipv6)) {
            for (IPAddress block : merge(family)) {
                result.add(AddressLiteralParser.format(block));
            }
        }
        return result;
    }

    private static List<IPAddress> merge(Set<IPAddress> addresses) {
        if (addresses.isEmpty()) {
            return List.of();
        }
        IPAddress[] all = addresses.toArray(new IPAddress[0]);
        IPAddress[] merged = all[0].mergeToPrefixBlocks(Arrays.copyOfRange(all, 1, all.length));
        Block[] blocks = new Block[merged.length];
        for (int i = 0; i < merged.length; i++) {
            blocks[i] = new Block(merged[i], merged[i].getValue(), merged[i].getUpperValue());
        }
        Arrays.sort(blocks, Comparator.comparing(Block::lower));
        requireExactCover(blocks, all);
        List<IPAddress> sorted = new ArrayList<>(blocks.length);
        for (Block block : blocks) {
            sorted.add(block.address());
        }
        return sorted;
    }

    /** A merged block with its bounds computed once, since they are compared many times. */
    private record Block(IPAddress address, BigInteger lower, BigInteger upper) {
    }

    /**
     * The EDL must never block an address nobody flagged, so the merge is verified rather than
     * trusted: disjoint CIDR blocks whose sizes add up to the number of addresses, each address
     * inside one of them, cover exactly those addresses.
     */
    private static void requireExactCover(Block[] sortedBlocks, IPAddress[] addresses) {
        BigInteger covered = BigInteger.ZERO;
        for (int i = 0; i < sortedBlocks.length; i++) {
            Block block = sortedBlocks[i];
            if (block.address().isMultiple() && !block.address().isSinglePrefixBlock()) {
                throw new IllegalStateException("merge produced a non-CIDR block " + block.address());
            }
            if (i > 0 && sortedBlocks[i - 1].upper().compareTo(block.lower()) >= 0) {
                throw new IllegalStateException("merge produced overlapping blocks at " + block.address());
            }
            covered = covered.add(block.upper().subtract(block.lower()).add(BigInteger.ONE));
        }
        if (!covered.equals(BigInteger.valueOf(addresses.length))) {
            throw new IllegalStateException("merge covers " + covered + " addresses instead of " + addresses.length);
        }
        for (IPAddress address : addresses) {
            BigInteger value = address.getValue();
            Block block = sortedBlocks[blockAtOrBefore(sortedBlocks, value)];
            if (block.lower().compareTo(value) > 0 || block.upper().compareTo(value) < 0) {
                throw new IllegalStateException("merge lost " + address);
            }
        }
    }

    /** Index of the last block starting at or before {@code value} (0 if none does). */
    private static int blockAtOrBefore(Block[] sortedBlocks, BigInteger value) {
        int low = 0;
        int high = sortedBlocks.length - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (sortedBlocks[middle].lower().compareTo(value) <= 0) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }
}
