package org.activedefense.detect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one detection run, returned by {@code POST /api/detection/run} and used for the
 * mail digest.
 *
 * @param matches          per case, how many candidates it found
 * @param refreshedByActivity listed addresses whose last-seen moved on because they kept sending
 */
public record RunSummary(
        Long runId,
        String trigger,
        String status,
        Instant startedAt,
        Instant finishedAt,
        Map<String, Integer> matches,
        List<Finding> added,
        List<Finding> refreshed,
        List<Finding> stopped,
        List<Finding> simulated,
        int refreshedByActivity,
        String error) {

    public boolean addedAny() {
        return added != null && !added.isEmpty();
    }
}
