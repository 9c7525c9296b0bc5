package org.activedefense.observe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.activedefense.detect.DetectionSettings;
import org.activedefense.detect.Finding;
import org.activedefense.detect.RunSummary;

/** Detection runs as {@code activedefense_detection_*} metrics; the run-detection route hands each summary here. */
public final class DetectionMetrics {

    private static final List<String> CASES =
            List.of(DetectionSettings.PORT_SCAN, DetectionSettings.HOST_SWEEP, DetectionSettings.VULNERABILITY);

    private final MeterRegistry registry;
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();

    public DetectionMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Known series start at 0, so a rate() over them works from the first scrape.
        for (String status : List.of("ok", "failed", "skipped")) {
            runTimer(status);
        }
        for (String c : CASES) {
            for (Finding.Outcome o : Finding.Outcome.values()) {
                findings(c, o.label());
            }
        }
        Gauge.builder("activedefense.detection.last.success", lastSuccessEpochSeconds, AtomicLong::get)
                .description("When the last successful detection run finished, in seconds since the epoch (0 = none yet)")
                .baseUnit("seconds").register(registry);
    }

    public void record(RunSummary run) {
        if (run == null) {
            return;
        }
        if (run.startedAt() != null && run.finishedAt() != null) {
            runTimer(run.status()).record(Duration.between(run.startedAt(), run.finishedAt()));
        }
        if ("ok".equals(run.status()) && run.finishedAt() != null) {
            lastSuccessEpochSeconds.set(run.finishedAt().getEpochSecond());
        }
        for (List<Finding> list : java.util.Arrays.asList(run.added(), run.refreshed(), run.stopped(), run.simulated())) {
            if (list != null) {
                list.forEach(f -> findings(f.caseName(), f.outcome().label()).increment());
            }
        }
    }

    private Timer runTimer(String status) {
        return Timer.builder("activedefense.detection.run").description("Duration of detection runs")
                .tag("status", status == null ? "unknown" : status).register(registry);
    }

    private Counter findings(String caseName, String outcome) {
        return Counter.builder("activedefense.detection.findings")
                .description("Addresses a detection run found, per case and decision (new, refreshed, stopped, simulated)")
                .tag("case", caseName == null ? "unknown" : caseName).tag("outcome", outcome).register(registry);
    }
}
