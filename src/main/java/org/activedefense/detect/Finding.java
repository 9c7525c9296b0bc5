package org.activedefense.detect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a run decided for one address: listed anew, refreshed, stopped by the address policy, or
 * only simulated.
 */
public record Finding(String address, String caseName, Outcome outcome, String reason,
                      Map<String, Object> evidence, List<String> devices, Instant firstSeen) {

    /** The decision, as stored in {@code detection_finding.outcome}. */
    public enum Outcome {
        NEW, REFRESHED, STOPPED, SIMULATED;

        public String label() {
            return name().toLowerCase();
        }
    }
}
