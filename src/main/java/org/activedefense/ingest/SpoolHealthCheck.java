package org.activedefense.ingest;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of log storage: DOWN while the database cannot take batches and they go to the spool
 * on disk; UP otherwise, with the spool's size while a backlog is replayed. Liveness is not
 * affected: the service still accepts every line while it spools.
 */
public final class SpoolHealthCheck extends AbstractHealthCheck {

    private final LogBatchWriter writer;

    public SpoolHealthCheck(LogBatchWriter writer) {
        super("activedefense", "ingest-spool");
        this.writer = writer;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        LogSpool spool = writer.spool();
        builder.detail("spool.bytes", spool.bytes());
        builder.detail("spool.lines", spool.lines());
        builder.detail("spool.oldest.age.seconds", (long) spool.oldestAgeSeconds());
        if (writer.spooling()) {
            builder.detail("spooling.since.epoch.ms", writer.spoolingSinceMillis());
            builder.message("database unavailable for ingest, lines go to the spool: " + writer.spoolingReason());
            builder.down();
        } else {
            builder.message(spool.isEmpty() ? "writing to the database" : "writing to the database, replaying the spool");
            builder.up();
        }
    }
}
