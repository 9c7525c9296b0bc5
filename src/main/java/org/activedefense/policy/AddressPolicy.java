package org.activedefense.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * Decides whether an address may go on the blacklist: only one plain, public IP address that is
 * neither special-purpose, nor ours, nor allowlisted.
 *
 * <p>Every doubt ends in "not blockable": text that is not exactly one IP address, an address in
 * any IANA special-purpose range, an IPv6 form that stands for an IPv4 host. Immutable and
 * thread-safe; a few thousand checks per detection run cost a parse and a short list scan each.
 */
public final class AddressPolicy {

    /** Property that lists our own networks; named in configuration errors. */
    public static final String OWN_NETWORKS_PROPERTY = "policy.own-networks";
    /** Property that lists the configured allowlist; named in configuration errors. */
    public static final String ALLOWLIST_PROPERTY = "policy.allowlist";

    private static final String NOT_AN_ADDRESS = "not a single IP address";

    /**
     * An address or CIDR that must never be blocked, with the operator's note; {@code expiresAt}
     * {@code null} protects for ever, otherwise until (and including) that instant.
     */
    public record AllowlistEntry(String cidr, String comment, Instant expiresAt) {
    }

    /** The outcome of a check: {@code reason} is {@code null} exactly when the address is blockable. */
    public record Verdict(boolean blockable, String reason) {

        public Verdict {
            // A verdict that says "blockable" and gives a reason (or the reverse) is a bug; refuse it.
            if (blockable != (reason == null)) {
                throw new IllegalArgumentException("a verdict has a reason exactly when it is not blockable");
            }
        }

        static final Verdict BLOCKABLE = new Verdict(true, null);

        static Verdict notBlockable(String reason) {
            return new Verdict(false, reason);
        }
    }

    private record Range(IPAddress block, String reason) {
    }

    /** Parsed lists, in a record because a second List,List constructor would clash by erasure. */
    private record Protections(List<Protected> ownNetworks, List<Protected> allowlist) {
    }

    private record Protected(IPAddress block, String text, String comment, Instant expiresAt) {

        boolean protects(IPAddress address, Instant now) {
            return (expiresAt == null || !expiresAt.isBefore(now)) && block.contains(address);
        }
    }

    /**
     * IANA IPv4 Special-Purpose Address Registry (RFC 6890 and its updates) plus multicast, checked
     * in order so the more specific reason wins (limited broadcast before the 240/4 it sits in).
     */
    private static final List<Range> IPV4_SPECIAL = List.of(
            range("0.0.0.0/8", "this network (RFC 791)"),                               // RFC 791 3.2, RFC 1122 3.2.1.3
            range("10.0.0.0/8", "private address (RFC 1918)"),                          // RFC 1918
            range("100.64.0.0/10", "shared address space / CGNAT (RFC 6598)"),          // RFC 6598
            range("127.0.0.0/8", "loopback"),                                           // RFC 1122 3.2.1.3
            range("169.254.0.0/16", "link-local"),                                      // RFC 3927
            range("172.16.0.0/12", "private address (RFC 1918)"),                       // RFC 1918
            // RFC 6890 2.1: DS-Lite 192.0.0.0/29 (RFC 7335), 192.0.0.8-10 and .170-.171 (RFC 7600,
            // 7723, 8155, 8880) all sit in this /24; none is an attacker we could block.
            range("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
            range("192.0.2.0/24", "documentation range (RFC 5737)"),                    // RFC 5737 TEST-NET-1
            range("192.31.196.0/24", "AS112 anycast (RFC 7535)"),                       // RFC 7535
            range("192.52.193.0/24", "AMT relay anycast (RFC 7450)"),                   // RFC 7450
            range("192.88.99.0/24", "6to4 relay anycast (RFC 3068, deprecated by RFC 7526)"),
            range("192.168.0.0/16", "private address (RFC 1918)"),                      // RFC 1918
            range("192.175.48.0/24", "AS112 direct delegation (RFC 7534)"),             // RFC 7534
            range("198.18.0.0/15", "benchmarking (RFC 2544)"),                          // RFC 2544, RFC 6815
            range("198.51.100.0/24", "documentation range (RFC 5737)"),                 // RFC 5737 TEST-NET-2
            range("203.0.113.0/24", "documentation range (RFC 5737)"),                  // RFC 5737 TEST-NET-3
            range("224.0.0.0/4", "multicast"),                                          // RFC 5771
            range("255.255.255.255", "limited broadcast"),                              // RFC 919, RFC 8190
            range("240.0.0.0/4", "reserved (RFC 1112)"));                               // RFC 1112 4

    /**
     * IANA IPv6 Special-Purpose Address Registry (RFC 6890 and its updates) plus multicast, more
     * specific entries first. IPv4-mapped addresses never get here: they are judged as IPv4.
     */
    private static final List<Range> IPV6_SPECIAL = List.of(
            range("::", "unspecified address (RFC 4291)"),                              // RFC 4291 2.5.2
            range("::1", "loopback"),                                                   // RFC 4291 2.5.3
            // An IPv6 form of an IPv4 host: blocking it would leave the real (IPv4) attacker free and
            // cannot be checked against our IPv4 networks, so the IPv4 address must be judged instead.
            range("64:ff9b::/96", "NAT64 (RFC 6052): stands for an IPv4 host, judge the IPv4 address instead"),
            range("64:ff9b:1::/48", "local-use NAT64 (RFC 8215): stands for an IPv4 host, judge the IPv4 address instead"),
            range("100::/64", "discard-only (RFC 6666)"),                               // RFC 6666
            // Teredo (RFC 4380) embeds the IPv4 addresses of a relay and of the client; checked before
            // the /23 that holds it for a clearer reason.
            range("2001::/32", "Teredo (RFC 4380): stands for an IPv4 host, judge the IPv4 address instead"),
            // RFC 2928 block: PORT, AMT, AS112, ORCHID, DRIP and benchmarking (RFC 5180) assignments.
            range("2001::/23", "IETF protocol assignments (RFC 6890)"),
            range("2001:db8::/32", "IPv6 documentation (RFC 3849)"),                    // RFC 3849
            range("2002::/16", "6to4 (RFC 3056): stands for an IPv4 host, judge the IPv4 address instead"),
            range("2620:4f:8000::/48", "AS112 direct delegation (RFC 7534)"),           // RFC 7534
            range("3fff::/20", "IPv6 documentation (RFC 9637)"),                        // RFC 9637
            range("5f00::/16", "SRv6 SIDs (RFC 9602)"),                                 // RFC 9602
            range("fc00::/7", "unique local IPv6 (RFC 4193)"),                          // RFC 4193
            range("fe80::/10", "link-local"),                                           // RFC 4291 2.5.6
            range("ff00::/8", "multicast"));                                            // RFC 4291 2.7

    /**
     * Everything IANA has ever allocated as global unicast is inside 2000::/3 (RFC 4291 2.4, IANA
     * IPv6 Address Space registry); the rest is reserved, and includes the deprecated
     * IPv4-compatible ::/96 (RFC 4291 2.5.5.1) and site-local fec0::/10 (RFC 3879) forms.
     */
    private static final IPAddress IPV6_GLOBAL_UNICAST = block("2000::/3");
    private static final String IPV6_RESERVED = "reserved IPv6 (outside global unicast 2000::/3, RFC 4291)";

    private final List<Protected> ownNetworks;
    private final List<Protected> allowlist;

    /**
     * @param ownNetworks CIDRs or single addresses of our own networks
     * @param allowlist   allowlist entries (for example from {@value #ALLOWLIST_PROPERTY})
     * @throws IllegalArgumentException naming the first entry that is not a plain CIDR or address
     */
    public AddressPolicy(List<String> ownNetworks, List<AllowlistEntry> allowlist) {
        this(new Protections(parseOwnNetworks(ownNetworks, "own networks"), parseAllowlist(allowlist, "allowlist")));
    }

    private AddressPolicy(Protections protections) {
        this.ownNetworks = List.copyOf(protections.ownNetworks());
        this.allowlist = List.copyOf(protections.allowlist());
    }

    /**
     * Builds the policy from the two comma-separated properties; blank means none.
     *
     * @throws IllegalArgumentException naming the bad item and the property it came from
     */
    public static AddressPolicy of(String ownNetworksCsv, String allowlistCsv) {
        List<AllowlistEntry> allowlist = new ArrayList<>();
        for (String item : splitCsv(allowlistCsv)) {
            allowlist.add(new AllowlistEntry(item, null, null));
        }
        return new AddressPolicy(new Protections(
                parseOwnNetworks(splitCsv(ownNetworksCsv), OWN_NETWORKS_PROPERTY),
                parseAllowlist(allowlist, ALLOWLIST_PROPERTY)));
    }

    /**
     * A policy that also protects {@code entries} (typically the allowlist table), keeping this
     * one's own networks and allowlist; this policy is unchanged.
     *
     * @throws IllegalArgumentException naming the first entry that is not a plain CIDR or address
     */
    public AddressPolicy withAllowlist(List<AllowlistEntry> entries) {
        List<Protected> combined = new ArrayList<>(allowlist);
        combined.addAll(parseAllowlist(entries, "allowlist table"));
        return new AddressPolicy(new Protections(ownNetworks, combined));
    }

    /**
     * Judges {@code address} at {@code now}: not a single IP address, then special-purpose ranges,
     * then our own networks, then the allowlist; the first reason found is returned.
     */
    public Verdict check(String address, Instant now) {
        Objects.requireNonNull(now, "now");
        IPAddress written = AddressLiteralParser.parseExactAddress(address);
        if (written == null) {
            return Verdict.notBlockable(NOT_AN_ADDRESS);
        }
        IPAddress judged = AddressLiteralParser.unmapped(written);
        String reason = specialPurposeReason(judged);
        if (reason == null) {
            reason = protectedReason(written, judged, now);
        }
        if (reason == null) {
            return Verdict.BLOCKABLE;
        }
        if (written.isIPv6() && judged.isIPv4()) {
            reason = "IPv4-mapped " + AddressLiteralParser.format(judged) + ": " + reason;
        }
        return Verdict.notBlockable(reason);
    }

    /**
     * The form of a single IP address to store and publish (dotted quad; RFC 5952 IPv6; an
     * IPv4-mapped address as its IPv4 address), so one host has one spelling on the blacklist.
     *
     * @throws IllegalArgumentException if {@code address} is not exactly one IP address
     */
    public static String canonical(String address) {
        IPAddress parsed = AddressLiteralParser.parseAddress(address);
        if (parsed == null) {
            throw new IllegalArgumentException(NOT_AN_ADDRESS);
        }
        return AddressLiteralParser.format(parsed);
    }

    /**
     * The form of an address or CIDR to store (host bits cleared: {@code 192.0.2.7/24} is
     * {@code 192.0.2.0/24}; a full-length prefix is the bare address), as the lists read it.
     *
     * @throws IllegalArgumentException if {@code network} is not one plain address or CIDR
     */
    public static String canonicalNetwork(String network) {
        IPAddress parsed = AddressLiteralParser.parseNetwork(network);
        if (parsed == null) {
            throw new IllegalArgumentException("not an IP address or CIDR such as 192.0.2.0/24");
        }
        return AddressLiteralParser.format(AddressLiteralParser.unmappedNetwork(parsed));
    }

    private static String specialPurposeReason(IPAddress address) {
        for (Range range : address.isIPv4() ? IPV4_SPECIAL : IPV6_SPECIAL) {
            if (range.block().contains(address)) {
                return range.reason();
            }
        }
        if (address.isIPv6() && !IPV6_GLOBAL_UNICAST.contains(address)) {
            return IPV6_RESERVED;
        }
        return null;
    }

    /**
     * Own networks, then allowlist. Both the address as written and the IPv4 address it may stand
     * for are tested, so an entry in either notation protects both spellings.
     */
    private String protectedReason(IPAddress written, IPAddress judged, Instant now) {
        for (Protected network : ownNetworks) {
            if (network.protects(judged, now) || network.protects(written, now)) {
                return "our own network " + network.text();
            }
        }
        for (Protected entry : allowlist) {
            if (entry.protects(judged, now) || entry.protects(written, now)) {
                String comment = entry.comment();
                return comment == null ? "allowlisted " + entry.text()
                        : "allowlisted " + entry.text() + " (" + comment + ")";
            }
        }
        return null;
    }

    private static List<Protected> parseOwnNetworks(List<String> items, String source) {
        Objects.requireNonNull(items, source);
        List<Protected> networks = new ArrayList<>();
        for (String item : items) {
            IPAddress block = network(item, source);
            networks.add(new Protected(block, AddressLiteralParser.format(block), null, null));
        }
        return networks;
    }

    private static List<Protected> parseAllowlist(List<AllowlistEntry> entries, String source) {
        Objects.requireNonNull(entries, source);
        List<Protected> protectedEntries = new ArrayList<>();
        for (AllowlistEntry entry : entries) {
            if (entry == null) {
                throw new IllegalArgumentException(source + ": empty entry");
            }
            IPAddress block = network(entry.cidr(), source);
            protectedEntries.add(new Protected(block, AddressLiteralParser.format(block),
                    printableComment(entry.comment()), entry.expiresAt()));
        }
        return protectedEntries;
    }

    private static IPAddress network(String item, String source) {
        IPAddress block = AddressLiteralParser.parseNetwork(item == null ? null : item.strip());
        if (block == null) {
            throw new IllegalArgumentException(
                    source + ": not a CIDR or single IP address: \"" + item + "\"");
        }
        return AddressLiteralParser.unmappedNetwork(block);
    }

    /** The comment ends up in run records and mails, so keep it on one line; blank means none. */
    private static String printableComment(String comment) {
        if (comment == null) {
            return null;
        }
        String oneLine = comment.replaceAll("\\p{Cntrl}", " ").strip();
        return oneLine.isEmpty() ? null : oneLine;
    }

    private static List<String> splitCsv(String csv) {
        List<String> items = new ArrayList<>();
        if (csv != null) {
            for (String item : csv.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        return items;
    }

    private static Range range(String cidr, String reason) {
        return new Range(block(cidr), reason);
    }

    /** Only for the constant tables above, whose text is ours and known to be valid. */
    private static IPAddress block(String cidr) {
        IPAddress address = new IPAddressString(cidr).getAddress();
        if (address == null) {
            throw new IllegalStateException("bad built-in range " + cidr);
        }
        return address.toPrefixBlock();
    }
}
