package org.activedefense.parse;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv6.IPv6Address;

/** Recognises the text of exactly one IPv4 or IPv6 address and returns its canonical form, never touching DNS. */
public final class IpLiteral {

    /**
     * Strict IPv6 grammar: one address, no prefix, mask, zone, range, wildcard, binary or base-85 form,
     * and an embedded IPv4 part only as a plain dotted quad without leading zeros.
     */
    private static final IPAddressStringParameters IPV6_ONLY;

    static {
        IPAddressStringParameters.Builder builder = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .allowAll(false)
                .allowSingleSegment(false)
                .allowPrefix(false)
                .allowMask(false)
                .allowPrefixOnly(false)
                .allowIPv4(false)
                .allowIPv6(true)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE)
                .allow_inet_aton(false);
        builder.getIPv6AddressParametersBuilder()
                .allowZone(false)
                .allowEmptyZone(false)
                .allowBase85(false)
                .allowBinary(false)
                .allowMixed(true)
                .allow_mixed_inet_aton(false)
                .allowUnlimitedLeadingZeros(false)
                .allowPrefixesBeyondAddressSize(false)
                .setRangeOptions(RangeParameters.NO_RANGE);
        builder.getIPv6AddressParametersBuilder().getEmbeddedIPv4AddressParametersBuilder()
                .allow_inet_aton(false)
                .allowBinary(false)
                .allowLeadingZeros(false)
                .allowUnlimitedLeadingZeros(false)
                .setRangeOptions(RangeParameters.NO_RANGE);
        IPV6_ONLY = builder.toParams();
    }

    /** Longest IPv6 text worth handing to the library: eight 4-digit groups or the mixed form. */
    private static final int MAX_IPV6_LENGTH = 45;

    private IpLiteral() {
    }

    /**
     * Returns the canonical text of {@code text} when it is exactly one IP address, else null.
     *
     * <p>IPv4 must be a strict dotted quad without leading zeros ({@code 010.1.1.1} is octal to some
     * parsers and decimal to others, so it is refused rather than guessed). IPv6 comes back compressed
     * and lower-case (RFC 5952); an IPv4-mapped IPv6 address comes back as its IPv4 address.
     */
    public static String canonical(String text) {
        if (text == null) {
            return null;
        }
        int length = text.length();
        if (length == 0 || length > MAX_IPV6_LENGTH) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            return isDottedQuad(text, 0, length) ? text : null;
        }
        return canonicalIpv6(text);
    }

    /** True when {@code text[start, end)} is four decimal octets 0..255 without leading zeros. */
    static boolean isDottedQuad(String text, int start, int end) {
        int octets = 0;
        int i = start;
        while (i < end) {
            int digitsStart = i;
            int value = 0;
            while (i < end && i - digitsStart < 4) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                i++;
            }
            int digits = i - digitsStart;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(digitsStart) == '0')) {
                return false;
            }
            octets++;
            if (i == end) {
                break;
            }
            if (text.charAt(i) != '.' || octets == 4) {
                return false;
            }
            i++;
            if (i == end) {
                return false;
            }
        }
        return octets == 4;
    }

    /**
     * The address {@code text} spells, exactly as written (an IPv4-mapped IPv6 address stays IPv6),
     * when it is exactly one IP address by the rules of {@link #canonical}; else null. For callers
     * that need the address itself, such as network containment in the address policy.
     */
    public static IPAddress address(String text) {
        if (canonical(text) == null) {
            return null;
        }
        // Already checked strictly above; the library only turns the text into its value here.
        return text.indexOf(':') < 0
                ? new IPAddressString(text).getAddress()
                : new IPAddressString(text, IPV6_ONLY).getAddress();
    }

    private static String canonicalIpv6(String text) {
        // The library accepts a few spellings we do not want to store as "one address".
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.';
            if (!allowed) {
                return null;
            }
        }
        IPAddress address = new IPAddressString(text, IPV6_ONLY).getAddress();
        if (address == null || !address.isIPv6() || address.isMultiple() || address.isPrefixed()) {
            return null;
        }
        IPv6Address ipv6 = address.toIPv6();
        if (ipv6.isIPv4Mapped()) {
            return ipv6.getEmbeddedIPv4Address().toCanonicalString();
        }
        return ipv6.toCanonicalString();
    }
}
