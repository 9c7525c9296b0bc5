package org.activedefense;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Restarts, sender filtering and overload accounting, each on a service configured for it. */
class IngestLifecycleTest {

    private static final String LINE = "<14>Nov 22 13:00:00 fw-life " + PanosLines.traffic(Map.of());

    @Test
    void restartOnTheSameDataKeepsEveryLineAndDoesNotReapplyMigrations() throws Exception {
        Path dataDir;
        long migrations;
        try (RunningService first = RunningService.start("restart", Map.of())) {
            dataDir = first.dataDir;
            try (Socket s = first.openTcp()) {
                RunningService.write(s, (LINE + "\n").repeat(500));
            }
            // stop as soon as the connection is closed: whatever was read must be flushed on stop
            await().atMost(Duration.ofSeconds(10)).until(() -> first.metric(
                    "activedefense_syslog_frames_received_total{transport=\"tcp\"}") == 500.0);
            migrations = first.count("SELECT count(*) FROM flyway_schema_history");
        }
        try (RunningService second = RunningService.startOn(dataDir, Map.of())) {
            assertEquals(500, second.count("SELECT count(*) FROM firewall_log"));
            assertEquals(500, second.count("SELECT lines_received FROM device WHERE name = 'fw-life'"));
            assertEquals(migrations, second.count("SELECT count(*) FROM flyway_schema_history"));
            second.sendUdp(LINE);
            await().atMost(Duration.ofSeconds(10)).until(() -> second.count("SELECT count(*) FROM firewall_log") == 501);

            // a datagram far over netty's default 2 KB buffer is read whole
            String big = "<14>Nov 22 13:00:00 fw-big-datagram " + PanosLines.traffic(Map.of(12, "u".repeat(40_000)));
            second.sendUdp(big);
            await().atMost(Duration.ofSeconds(10)).until(() -> second.count(
                    "SELECT count(*) FROM firewall_log WHERE device = 'fw-big-datagram' AND length(raw) = ?", big.length()) == 1);
        }
    }

    @Test
    void aStalledDatabaseSlowsTheTcpSenderAndLosesNothing() throws Exception {
        int total = 40_000;
        try (RunningService service = RunningService.start("backpressure", Map.of(
                "ingest.queue-capacity", "200", "ingest.batch-size", "100"))) {
            java.util.concurrent.atomic.AtomicInteger chunksWritten = new java.util.concurrent.atomic.AtomicInteger();
            String chunk = (LINE + "\n").repeat(100);
            try (java.sql.Connection lock = service.dataSource().getConnection()) {
                // stall every writer: COPY into firewall_log waits for this lock
                lock.setAutoCommit(false);
                lock.createStatement().execute("LOCK TABLE firewall_log IN ACCESS EXCLUSIVE MODE");

                Thread sender = new Thread(() -> {
                    try (Socket s = service.openTcp()) {
                        for (int i = 0; i < total / 100; i++) {
                            RunningService.write(s, chunk);
                            chunksWritten.incrementAndGet();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                sender.start();

                // the queue fills up to its bound and stays there ...
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        service.metric("activedefense_ingest_queue_depth") == 200.0);
                // ... and the sender is held back: its writes stop (two samples a second apart agree)
                java.util.concurrent.atomic.AtomicInteger last = new java.util.concurrent.atomic.AtomicInteger(-1);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> chunksWritten.get() == last.getAndSet(chunksWritten.get()));
                int stalledAt = chunksWritten.get();
                assertTrue(sender.isAlive(), "the sender is blocked in a write, not finished");
                assertTrue(stalledAt < total / 100, "sender wrote everything while the database was stalled");
                assertEquals(200.0, service.metric("activedefense_ingest_queue_depth"));
                lock.rollback();
                sender.join(60_000);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> service.count("SELECT count(*) FROM firewall_log") == total);
            assertEquals(0, service.count("SELECT count(*) FROM rejected_line"));
        }
    }

    @Test
    void linesFromSendersOutsideTheAllowlistAreDroppedAndCounted() throws Exception {
        try (RunningService service = RunningService.start("allowlist", Map.of("syslog.allowed-senders", "192.0.2.0/24"))) {
            service.sendUdp(LINE);
            try (Socket s = service.openTcp()) {
                RunningService.write(s, LINE + "\n");
                s.setSoTimeout(10_000);
                assertEquals(-1, s.getInputStream().read(), "the connection is closed");
            }
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    service.metric("activedefense_syslog_frames_dropped_total{cause=\"sender_not_allowed\",transport=\"udp\"}") == 1.0
                    && service.metric("activedefense_syslog_frames_dropped_total{cause=\"sender_not_allowed\",transport=\"tcp\"}") == 1.0);
            assertEquals(0, service.count("SELECT count(*) FROM firewall_log"));
        }
        try (RunningService service = RunningService.start("allowlist-ok", Map.of("syslog.allowed-senders", "127.0.0.0/8, ::1"))) {
            service.sendUdp(LINE);
            await().atMost(Duration.ofSeconds(10)).until(() -> service.count("SELECT count(*) FROM firewall_log") == 1);
        }
    }

    @Test
    void udpOverloadDropsAreCountedSoEveryReceivedDatagramIsAccountedFor() throws Exception {
        try (RunningService service = RunningService.start("udp-overload", Map.of(
                "ingest.queue-capacity", "8", "ingest.batch-size", "8", "ingest.writer-threads", "1"))) {
            for (int i = 0; i < 3000; i++) {
                service.sendUdp(LINE);
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                double received = service.metric("activedefense_syslog_frames_received_total{transport=\"udp\"}");
                double dropped = service.metric("activedefense_syslog_frames_dropped_total{cause=\"queue_full\",transport=\"udp\"}");
                return received == service.count("SELECT count(*) FROM firewall_log") + dropped;
            });
            double received = service.metric("activedefense_syslog_frames_received_total{transport=\"udp\"}");
            double dropped = service.metric("activedefense_syslog_frames_dropped_total{cause=\"queue_full\",transport=\"udp\"}");
            assertTrue(received <= 3000);
            assertTrue(dropped > 0, "a queue of 8 cannot take 3000 datagrams sent back to back");
        }
    }
}
