package org.activedefense;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.activedefense.db.Database;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL stopped and started again under a running service: lines go to the spool
 * on disk meanwhile and are replayed once, the EDL keeps its list, detection skips and says why.
 */
class DatabaseOutageTest {

    private static String line(int seq) {
        return "<14>Nov 22 13:00:00 fw-outage " + PanosLines.traffic(Map.of(11, "seq-" + seq)) + "\n";
    }

    private static Database database(RunningService service) {
        return service.camelContext().getRegistry().lookupByNameAndType("database", Database.class);
    }

    /** Sends lines seq from..to-1 on one TCP connection at a steady rate (the pace of a firewall, not a wait). */
    private static Thread steadySender(RunningService service, int from, int to, int perSecond, AtomicInteger sent) {
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            try (Socket s = service.openTcp()) {
                for (int i = from; i < to; i++) {
                    RunningService.write(s, line(i));
                    sent.incrementAndGet();
                    long due = start + TimeUnit.SECONDS.toNanos(i - from + 1) / perSecond;
                    LockSupport.parkNanos(due - System.nanoTime());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "steady-syslog-sender");
        t.start();
        return t;
    }

    private static void sendAll(RunningService service, int from, int to) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i < to; i++) {
            lines.append(line(i));
        }
        try (Socket s = service.openTcp()) {
            RunningService.write(s, lines.toString());
        }
    }

    private static void awaitRefused(RunningService service) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                service.count("SELECT 1");
                return false;
            } catch (SQLException e) {
                return true;
            }
        });
    }

    @Test
    void anOutageMidStreamIsSpooledAndReplayedSoEveryLineIsStoredExactlyOnce() throws Exception {
        int total = 12_000;
        try (RunningService service = RunningService.start("outage", Map.of(
                "db.connection-timeout-ms", "1000",
                "edl.cache-seconds", "0",
                // scheduled detection every 2 s: some fires land in the outage
                "detect.cron", "0/2 * * * * ?"))) {
            service.execute("INSERT INTO blacklist (address, case_name, source, first_seen, last_seen) "
                    + "VALUES ('45.155.205.10', 'manual', 'manual', now(), now())");
            assertEquals("45.155.205.10\n", service.get("/files/blacklist.txt").body());
            assertEquals(200, service.get("/observe/health").statusCode());

            AtomicInteger sent = new AtomicInteger();
            Thread sender = steadySender(service, 0, total, 1500, sent);
            await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() >= total / 4);
            database(service).stopEmbedded();

            // lines keep being accepted and go to the spool; health says so
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    service.metric("activedefense_spool_lines_spooled_total") >= 2000);
            HttpResponse<String> health = service.get("/observe/health");
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("ingest-spool"), health.body());
            assertEquals(200, service.get("/observe/health/live").statusCode(), "alive: every line is still accepted");
            assertEquals(503, service.get("/observe/health/ready").statusCode());
            // the management port answers with each check's details
            String details = service.management("/observe/health?data=true").body();
            assertTrue(details.contains("spool.lines"), details);
            assertTrue(service.metric("activedefense_spool_bytes") > 0);
            assertTrue(service.metric("activedefense_spool_oldest_age_seconds") >= 0);

            // the firewall still gets the last list, never an empty one
            HttpResponse<String> edl = service.get("/files/blacklist.txt");
            assertEquals(200, edl.statusCode());
            assertEquals("45.155.205.10\n", edl.body());

            // scheduled detection cannot run: it skips and counts it; each run's end invalidates the cached
            // lists, and the last one must still be served
            String skipped = "activedefense_detection_runs_skipped_total{reason=\"database-unavailable\"}";
            await().atMost(Duration.ofSeconds(30)).until(() -> service.metric(skipped) >= 1.0);
            assertEquals("45.155.205.10\n", service.get("/files/blacklist.txt").body());

            database(service).startEmbeddedAgain();
            sender.join(120_000);
            assertEquals(total, sent.get());

            // the pool reconnects on its own; a poll may find it still without a connection
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(SQLException.class).until(() ->
                    service.count("SELECT count(*) FROM firewall_log") >= total
                    && service.metric("activedefense_spool_lines") == 0.0);
            assertEquals(total, service.count("SELECT count(*) FROM firewall_log"), "nothing written twice");
            assertEquals(total, service.count("SELECT count(DISTINCT rule_name) FROM firewall_log"), "nothing lost");
            assertEquals(total, service.count("SELECT lines_received FROM device WHERE name = 'fw-outage'"));
            assertEquals(0, service.count("SELECT count(*) FROM rejected_line"));
            double spooled = service.metric("activedefense_spool_lines_spooled_total");
            double replayed = service.metric("activedefense_spool_lines_replayed_total");
            assertTrue(spooled >= 2000 && spooled < total, "spooled " + spooled);
            // a batch whose commit answer was lost in the stop is found committed, not replayed (seen here)
            assertEquals(spooled, replayed + service.metric("activedefense_spool_lines_already_committed_total"));
            assertEquals(0.0, service.metric("activedefense_spool_lines_dropped_total{policy=\"drop-oldest\"}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> service.get("/observe/health").statusCode() == 200);

            // the skipped runs are on record once the database is back (written before the next run)
            await().atMost(Duration.ofSeconds(20)).until(() -> service.count("SELECT count(*) FROM detection_run "
                    + "WHERE status = 'skipped' AND error LIKE 'database unavailable%'") == (long) service.metric(skipped));
        }
    }

    @Test
    void aSpoolLeftAtShutdownIsReplayedOnTheNextStartAndATornTailIsCutOff() throws Exception {
        Path dataDir;
        try (RunningService first = RunningService.start("spool-restart", Map.of("db.connection-timeout-ms", "1000"))) {
            dataDir = first.dataDir;
            sendAll(first, 0, 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.count("SELECT count(*) FROM firewall_log") == 200);
            database(first).stopEmbedded();
            sendAll(first, 200, 3200);
            await().atMost(Duration.ofSeconds(30)).until(() -> first.metric("activedefense_spool_lines") == 3000.0);
        } // stopped with the database still down

        // a crash in the middle of writing a frame leaves a torn one at the end of the newest segment
        Path newest;
        try (var files = Files.list(dataDir.resolve("spool"))) {
            newest = files.filter(p -> p.toString().endsWith(".spool")).max(Comparator.naturalOrder()).orElseThrow();
        }
        byte[] torn = Arrays.copyOf(Files.readAllBytes(newest), 40);
        Files.write(newest, torn, StandardOpenOption.APPEND);

        try (RunningService second = RunningService.startOn(dataDir, Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    second.count("SELECT count(*) FROM firewall_log") >= 3200 && second.metric("activedefense_spool_lines") == 0.0);
            assertEquals(3200, second.count("SELECT count(*) FROM firewall_log"));
            assertEquals(3200, second.count("SELECT count(DISTINCT rule_name) FROM firewall_log"));
            assertEquals(40.0, second.metric("activedefense_spool_bytes_discarded_total"));
            assertEquals(3000.0, second.metric("activedefense_spool_lines_replayed_total"));
        }
        try (var files = Files.list(dataDir.resolve("spool"))) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".spool")), "replayed segments are deleted");
        }
    }

    @Test
    void aFullSpoolDropsByItsPolicyAndCountsWhatItDropped() throws Exception {
        int total = 4000;
        for (String policy : new String[] {"drop-newest", "drop-oldest"}) {
            try (RunningService service = RunningService.start("spool-full-" + policy, Map.of(
                    "db.connection-timeout-ms", "1000",
                    "ingest.spool.max-mb", "1",
                    "ingest.spool.when-full", policy,
                    // one writer: batches reach the spool in the order they were received
                    "ingest.writer-threads", "1",
                    "ingest.batch-size", "100"))) {
                database(service).stopEmbedded();
                // send only once the server refuses connections: a batch committed in the last moment with
                // its answer lost is not written twice, but it would blur which lines the policy kept
                awaitRefused(service);
                sendAll(service, 0, total);
                String dropped = "activedefense_spool_lines_dropped_total{policy=\"" + policy + "\"}";
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        service.metric("activedefense_spool_lines") + service.metric(dropped) == total);
                assertTrue(service.metric("activedefense_spool_bytes") <= 1024 * 1024);
                long kept = (long) service.metric("activedefense_spool_lines");
                assertTrue(service.metric(dropped) > 0, "1 MiB cannot hold " + total + " lines");

                database(service).startEmbeddedAgain();
                await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(SQLException.class)
                        .until(() -> service.metric("activedefense_spool_lines") == 0.0
                                && service.count("SELECT count(*) FROM firewall_log") >= kept);
                assertEquals(kept, service.count("SELECT count(*) FROM firewall_log"));
                String seq = "substring(rule_name from 5)::int";
                if (policy.equals("drop-newest")) {
                    assertEquals(kept - 1, service.count("SELECT max(" + seq + ") FROM firewall_log"), "the first lines kept");
                } else {
                    assertEquals(total - kept, service.count("SELECT min(" + seq + ") FROM firewall_log"), "the last lines kept");
                }
            }
        }
    }

    @Test
    void aBatchWithOnePoisonedRowStoresTheOthersAndKeepsThatRowAsARejection() throws Exception {
        try (RunningService service = RunningService.start("poison", Map.of("db.connection-timeout-ms", "1000"))) {
            // a rule the database enforces and one line breaks: a permanent refusal (23514 check_violation)
            service.execute("ALTER TABLE firewall_log ADD CONSTRAINT test_no_poison CHECK (rule_name <> 'poison')");
            String poison = "<14>Nov 22 13:00:00 fw-outage " + PanosLines.traffic(Map.of(11, "poison")) + "\n";
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                batch.append(i == 37 ? poison : line(i));
            }
            try (Socket s = service.openTcp()) {
                RunningService.write(s, batch.toString());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> service.count("SELECT count(*) FROM rejected_line") == 1
                    && service.count("SELECT count(*) FROM firewall_log") >= 99);
            assertEquals(99, service.count("SELECT count(*) FROM firewall_log"));
            assertEquals(99, service.count("SELECT lines_received FROM device WHERE name = 'fw-outage'"));
            assertEquals(1, service.count("SELECT count(*) FROM rejected_line WHERE reason LIKE "
                    + "'database refused the row:%test_no_poison%' AND raw = ?", poison.strip()));

            // the same batch shape while the database is away: spooled, then split the same way on replay
            database(service).stopEmbedded();
            batch.setLength(0);
            for (int i = 100; i < 200; i++) {
                batch.append(i == 150 ? poison : line(i));
            }
            try (Socket s = service.openTcp()) {
                RunningService.write(s, batch.toString());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> service.metric("activedefense_spool_lines") == 100.0);
            database(service).startEmbeddedAgain();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(SQLException.class)
                    .until(() -> service.metric("activedefense_spool_lines") == 0.0
                            && service.count("SELECT count(*) FROM firewall_log") >= 198);
            assertEquals(198, service.count("SELECT count(*) FROM firewall_log"));
            assertEquals(2, service.count("SELECT count(*) FROM rejected_line WHERE reason LIKE "
                    + "'database refused the row:%test_no_poison%' AND raw = ?", poison.strip()));
        }
    }
}
