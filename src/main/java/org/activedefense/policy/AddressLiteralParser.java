package org.activedefense.policy;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv6.IPv6Address;
import org.activedefense.parse.IpLiteral;

/**
 * Turns text into an IP address or network only when it is written in the one plain notation an
 * operator would recognise (dotted quad, RFC 4291 hex groups), and nothing else.
 *
 * <p>Address libraries and {@code inet_aton} accept far more ({@code 08.8.8.8} as octal,
 * {@code 8.8.8} as 8.8.0.8, hex, single integers, wildcards, ranges, zones), and every extra
 * spelling is a way to slip a protected address past a check that compares text. So the grammar
 * is checked here character by character first, and the library, itself restricted, only
 * computes the value. Nothing here ever resolves a name.
 */
final class AddressLiteralParser {

    private AddressLiteralParser() {
    }

    /**
     * One IP address, IPv4-mapped IPv6 already turned into its IPv4 address; {@code null} for
     * anything else, including prefixes, surrounding whitespace and zones.
     */
    static IPAddress parseAddress(String text) {
        IPAddress address = parseExactAddress(text);
        return address == null ? null : unmapped(address);
    }

    /**
     * One IP address exactly as written (an IPv4-mapped address stays IPv6), or {@code null}.
     */
    static IPAddress parseExactAddress(String text) {
        // The parser's strict literal check (no leading zeros, no zones, no prefixes, no DNS) decides
        // what counts as one written address, here as on the ingest path.
        IPAddress address = IpLiteral.address(text);
        if (address == null || address.isMultiple() || address.getNetworkPrefixLength() != null) {
            return null;
        }
        if (address.isIPv6() && ((IPv6Address) address).hasZone()) {
            return null;
        }
        return address;
    }

    /**
     * A network written as {@code address/bits} or a single address, as the block it covers;
     * {@code null} if it is not written plainly. Host bits below the prefix are cleared
     * ({@code 192.168.1.1/24} means the whole /24) because these lists protect, and protecting the
     * network an operator obviously meant is the safe reading.
     */
    static IPAddress parseNetwork(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return parseExactAddress(text);
        }
        String addressPart = text.substring(0, slash);
        String bitsPart = text.substring(slash + 1);
        IPAddress address = parseExactAddress(addressPart);
        if (address == null || !isPlainDecimal(bitsPart, 3)) {
            return null;
        }
        int bits = Integer.parseInt(bitsPart);
        if (bits > address.getBitCount()) {
            return null;
        }
        return bits == address.getBitCount() ? address : address.toPrefixBlock(bits);
    }

    /**
     * The IPv4 network an IPv4-mapped IPv6 network of /96 or longer stands for
     * ({@code ::ffff:192.0.2.0/120} is 192.0.2.0/24), so that it protects both spellings; any other
     * network is returned as it is.
     */
    static IPAddress unmappedNetwork(IPAddress block) {
        Integer bits = block.getNetworkPrefixLength();
        IPAddress lower = block.getLower().withoutPrefixLength();
        if (!block.isIPv6() || !((IPv6Address) lower).isIPv4Mapped() || (bits != null && bits < 96)) {
            return block;
        }
        IPAddress ipv4 = ((IPv6Address) lower).getEmbeddedIPv4Address();
        return bits == null || bits == 128 ? ipv4 : ipv4.toPrefixBlock(bits - 96);
    }

    /** The IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}, RFC 4291 2.5.5.2) stands for. */
    static IPAddress unmapped(IPAddress address) {
        if (address.isIPv6() && ((IPv6Address) address).isIPv4Mapped()) {
            return ((IPv6Address) address).getEmbeddedIPv4Address();
        }
        return address;
    }

    /** The text an operator and the EDL should see: dotted quad, or RFC 5952 compressed IPv6. */
    static String format(IPAddress addressOrBlock) {
        Integer bits = addressOrBlock.getNetworkPrefixLength();
        if (bits == null || bits == addressOrBlock.getBitCount()) {
            return addressOrBlock.withoutPrefixLength().toCanonicalString();
        }
        return addressOrBlock.toCanonicalString();
    }

    private static boolean isPlainDecimal(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return text.length() == 1 || text.charAt(0) != '0';
    }
}
