package org.activedefense.detect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An address one detection case found, with the evidence that made it match.
 *
 * @param evidence counts and bounded samples (ports, hosts, threat names) as JSON-ready values
 */
public record Candidate(String address, String caseName, Map<String, Object> evidence,
                        List<String> devices, Instant firstSeen, Instant lastSeen) {
}
