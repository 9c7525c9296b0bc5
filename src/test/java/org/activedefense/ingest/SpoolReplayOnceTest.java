package org.activedefense.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.activedefense.RunningService;
import org.activedefense.parse.LogRecord;
import org.postgresql.PGConnection;
import org.junit.jupiter.api.Test;

/**
 * A batch whose commit went through but whose answer was lost (the connection broke during the
 * commit) is in the spool with its transaction id: replay asks PostgreSQL and does not write it
 * again; a batch whose transaction was rolled back is written.
 */
class SpoolReplayOnceTest {

    private static String copyRow(String marker) {
        LogRecord r = new LogRecord();
        r.receivedAt = Instant.now();
        r.device = "fw-lost-ack";
        r.sender = "192.0.2.1";
        r.ruleName = marker;
        r.raw = "line " + marker;
        StringBuilder out = new StringBuilder();
        CopyRowEncoder.append(out, r);
        return out.toString();
    }

    /** Copies one row in a transaction of its own and returns the transaction's id. */
    private static long copyInTransaction(Connection c, String row, boolean commit) throws Exception {
        c.setAutoCommit(false);
        long xid;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current()")) {
            rs.next();
            xid = rs.getLong(1);
        }
        c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                "COPY firewall_log (" + CopyRowEncoder.COLUMNS + ") FROM STDIN", new StringReader(row));
        if (commit) {
            c.commit();
        } else {
            c.rollback();
        }
        return xid;
    }

    @Test
    void aCommittedBatchWhoseAnswerWasLostIsNotWrittenTwice() throws Exception {
        Path dataDir;
        String committed = copyRow("committed");
        String rolledBack = copyRow("rolled-back");
        long committedXid;
        long rolledBackXid;
        try (RunningService first = RunningService.start("lost-ack", Map.of())) {
            dataDir = first.dataDir;
            try (Connection c = first.dataSource().getConnection()) {
                committedXid = copyInTransaction(c, committed, true);
                rolledBackXid = copyInTransaction(c, rolledBack, false);
            }
        }
        // what a writer leaves in the spool when the connection breaks during each of those commits
        try (LogSpool spool = LogSpool.open(new LogSpool.Settings(dataDir.resolve("spool"), 1 << 20,
                LogSpool.WhenFull.DROP_OLDEST), new SimpleMeterRegistry())) {
            spool.append(new SpooledBatch(System.currentTimeMillis(), committedXid, List.of(committed), List.of()));
            spool.append(new SpooledBatch(System.currentTimeMillis(), rolledBackXid, List.of(rolledBack), List.of()));
        }
        try (RunningService second = RunningService.startOn(dataDir, Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> second.metric("activedefense_spool_lines") == 0.0);
            assertEquals(1, second.count("SELECT count(*) FROM firewall_log WHERE rule_name = 'committed'"));
            assertEquals(1, second.count("SELECT count(*) FROM firewall_log WHERE rule_name = 'rolled-back'"));
            assertEquals(1.0, second.metric("activedefense_spool_lines_already_committed_total"));
            assertEquals(1.0, second.metric("activedefense_spool_lines_replayed_total"));
        }
    }
}
