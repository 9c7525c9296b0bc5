package org.activedefense.notify;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.activedefense.detect.Finding;
import org.activedefense.detect.RunSummary;

/**
 * Writes the one mail a detection run sends when it listed new addresses: the subject gives the
 * count, the plain-text body one paragraph per address (case, evidence, first seen, devices).
 *
 * <p>Evidence holds attacker text (threat names, device names): it only ever goes into the
 * plain-text body, with control characters removed, never into a header.
 */
public final class OffenderDigest {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private final int maxAddresses;
    private final ZoneId zone;

    public OffenderDigest(int maxAddresses, ZoneId zone) {
        if (maxAddresses <= 0) {
            throw new IllegalArgumentException("mail.max-addresses-per-mail must be positive");
        }
        this.maxAddresses = maxAddresses;
        this.zone = zone;
    }

    public String subject(RunSummary run) {
        int n = run.added().size();
        return "[ActiveDefense] " + n + (n == 1 ? " new address" : " new addresses") + " blocked";
    }

    public String body(RunSummary run) {
        List<Finding> added = run.added();
        StringBuilder b = new StringBuilder();
        b.append("Detection run ").append(run.runId()).append(" at ").append(TIME.format(run.startedAt().atZone(zone)))
                .append(" put ").append(added.size()).append(added.size() == 1 ? " new address" : " new addresses")
                .append(" on the block list.\n\n");
        added.stream().limit(maxAddresses).forEach(f -> {
            b.append(f.address()).append('\n');
            b.append("  case:       ").append(f.caseName()).append('\n');
            b.append("  evidence:   ").append(clean(summary(f))).append('\n');
            b.append("  first seen: ").append(TIME.format(f.firstSeen().atZone(zone))).append('\n');
            b.append("  device:     ").append(clean(String.join(", ", f.devices()))).append("\n\n");
        });
        if (added.size() > maxAddresses) {
            b.append("... and ").append(added.size() - maxAddresses).append(" more (see the blacklist in the console).\n\n");
        }
        if (!run.stopped().isEmpty()) {
            b.append(run.stopped().size()).append(" more matched but were not blocked by policy (private, own network or "
                    + "allowlisted); see detection run ").append(run.runId()).append(".\n");
        }
        return b.toString();
    }

    static String summary(Finding f) {
        Map<String, Object> e = f.evidence();
        return switch (f.caseName()) {
            case "port-scan" -> e.get("distinctPorts") + " ports of " + e.get("target") + " in " + e.get("windowMinutes")
                    + " min (e.g. " + join(e.get("samplePorts")) + ")";
            case "host-sweep" -> e.get("distinctHosts") + " hosts on port " + e.get("port") + " in "
                    + e.get("windowMinutes") + " min (e.g. " + join(e.get("sampleHosts")) + ")";
            case "vulnerability" -> e.get("events") + " " + join(e.get("severities")) + " exploit attempt(s): "
                    + join(e.get("sampleThreats"));
            default -> String.valueOf(e);
        };
    }

    private static String join(Object list) {
        if (list instanceof List<?> l) {
            return l.stream().limit(5).map(String::valueOf).collect(Collectors.joining(", "));
        }
        return String.valueOf(list);
    }

    /** Attacker text stays on its line: control characters (CR, LF, ESC...) become spaces. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 ? ' ' : cp));
        return b.length() > 300 ? b.substring(0, 300) + "..." : b.toString();
    }
}
