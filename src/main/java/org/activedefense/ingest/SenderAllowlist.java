package org.activedefense.ingest;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * Which peers may send syslog (like rsyslog's AllowedSender): a list of CIDRs, empty for everyone.
 *
 * <p>Checked once per datagram or connection against the socket's address bytes, so it costs a
 * few comparisons and no parsing on the hot path.
 */
public final class SenderAllowlist {

    private record Network(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private final List<Network> networks;

    private SenderAllowlist(List<Network> networks) {
        this.networks = networks;
    }

    /** Parses a comma-separated list of CIDRs or addresses; blank allows every sender. */
    public static SenderAllowlist parse(String cidrs) {
        List<Network> networks = new ArrayList<>();
        if (cidrs != null) {
            for (String item : cidrs.split(",")) {
                String text = item.trim();
                if (text.isEmpty()) {
                    continue;
                }
                IPAddress address = new IPAddressString(text).getAddress();
                if (address == null) {
                    throw new IllegalArgumentException("syslog.allowed-senders: not an address or CIDR: " + text);
                }
                Integer bits = address.getNetworkPrefixLength();
                byte[] bytes = address.getLower().getBytes();
                networks.add(new Network(bytes, bits == null ? bytes.length * 8 : bits));
            }
        }
        return new SenderAllowlist(List.copyOf(networks));
    }

    public boolean allowsEveryone() {
        return networks.isEmpty();
    }

    public boolean allows(InetAddress sender) {
        if (networks.isEmpty()) {
            return true;
        }
        byte[] bytes = sender.getAddress();
        for (Network network : networks) {
            if (network.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
