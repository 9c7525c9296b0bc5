package org.activedefense.detect;

import java.util.List;
import java.util.Set;

/**
 * The thresholds and windows of the three detection cases, from the {@code detect.*} properties.
 *
 * @param portScanPorts          case 1: more than this many distinct destination ports...
 * @param portScanWindowMinutes  ...within this many minutes; 0 turns case 1 off
 * @param hostSweepHosts         case 2: more than this many distinct destinations on one port...
 * @param hostSweepWindowMinutes ...within this many minutes; 0 turns case 2 off
 * @param vulnerabilityLevel     case 3: 0 off, 1 critical, 2 high or critical
 * @param vulnerabilitySubtypes  THREAT subtypes counted by case 3
 * @param vulnerabilityWindowMinutes window of case 3
 * @param refreshWindowMinutes   listed addresses seen in this window get their last-seen moved on
 * @param simulatedCases         cases whose candidates are recorded but not listed
 */
public record DetectionSettings(
        int portScanPorts,
        int portScanWindowMinutes,
        int hostSweepHosts,
        int hostSweepWindowMinutes,
        int vulnerabilityLevel,
        List<String> vulnerabilitySubtypes,
        int vulnerabilityWindowMinutes,
        int refreshWindowMinutes,
        Set<String> simulatedCases) {

    public static final String PORT_SCAN = "port-scan";
    public static final String HOST_SWEEP = "host-sweep";
    public static final String VULNERABILITY = "vulnerability";

    public DetectionSettings {
        require(portScanPorts >= 0, "detect.port-scan.ports must not be negative");
        require(portScanWindowMinutes >= 0, "detect.port-scan.window-minutes must not be negative");
        require(hostSweepHosts >= 0, "detect.host-sweep.hosts must not be negative");
        require(hostSweepWindowMinutes >= 0, "detect.host-sweep.window-minutes must not be negative");
        require(vulnerabilityLevel >= 0 && vulnerabilityLevel <= 2, "detect.vulnerability.level must be 0, 1 or 2");
        require(vulnerabilityWindowMinutes > 0, "detect.vulnerability.window-minutes must be positive");
        require(refreshWindowMinutes > 0, "detect.refresh-window-minutes must be positive");
        for (String c : simulatedCases) {
            require(List.of(PORT_SCAN, HOST_SWEEP, VULNERABILITY).contains(c), "unknown case to simulate: " + c);
        }
        vulnerabilitySubtypes = List.copyOf(vulnerabilitySubtypes);
        simulatedCases = Set.copyOf(simulatedCases);
    }

    /** The severities case 3 counts, lower case as stored. */
    public List<String> vulnerabilitySeverities() {
        return vulnerabilityLevel == 2 ? List.of("critical", "high") : List.of("critical");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
