package org.activedefense.process;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two service processes on one PostgreSQL (started by the test), clustered: both ingest and serve
 * the EDL, each detection fire runs on one node, and killing the node that runs detection moves it
 * to the other.
 */
class TwoNodesIT {

    /** Detection every 5 seconds: runs are grouped by fire with floor(epoch / 5). */
    private static final int FIRE_SECONDS = 5;

    @Test
    void twoNodesShareTheScheduleAndFailOver() throws Exception {
        Path pgDir = ServiceProcess.workDirOf("two-nodes-pg");
        RunningServiceFiles.deleteRecursively(pgDir);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(false)
                .setPort(ServiceProcess.freeTcpPort())
                // the binaries are on failsafe's class path twice (the shaded jar and their own jar): take the first
                .setPgBinaryResolver((system, machine) -> java.util.Collections.list(TwoNodesIT.class.getClassLoader()
                        .getResources(("postgres-" + system + "-" + machine.replace("amd64", "x86_64") + ".txz")
                                .toLowerCase().replace(' ', '_'))).get(0).openStream())
                .start()) {
            String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
            Map<String, String> shared = new HashMap<>();
            shared.put("db.url", url);
            shared.put("db.user", "postgres");
            shared.put("cluster.enabled", "true");
            shared.put("cluster.checkin-interval-ms", "1000");
            shared.put("detect.cron", "0/" + FIRE_SECONDS + " * * * * ?");
            // housekeeping too, two seconds after each detection fire
            shared.put("housekeeping.expiry-cron", "2/" + FIRE_SECONDS + " * * * * ?");
            shared.put("edl.cache-seconds", "1");
            Map<String, String> propsA = ServiceProcess.prepare("node-a", withName(shared, "node-a"));
            Map<String, String> propsB = ServiceProcess.prepare("node-b", withName(shared, "node-b"));
            try (ServiceProcess a = ServiceProcess.start("node-a", propsA);
                 ServiceProcess b = ServiceProcess.start("node-b", propsB)) {
                // both ingest
                send(propsA, 10);
                send(propsB, 20);
                await().atMost(Duration.ofSeconds(30)).until(() -> count(url, "SELECT count(*) FROM firewall_log") == 30);
                // both serve the one blacklist
                execute(url, "INSERT INTO blacklist (address, case_name, source, first_seen, last_seen) "
                        + "VALUES ('198.18.0.1'::inet + 1, 'manual', 'manual', now(), now())");
                await().atMost(Duration.ofSeconds(15)).until(() ->
                        a.get("/files/blacklist.txt").body().equals("198.18.0.2\n")
                                && b.get("/files/blacklist.txt").body().equals("198.18.0.2\n"));

                // each fire runs once across the two nodes
                await().atMost(Duration.ofSeconds(60)).until(() -> scheduledRuns(url).size() >= 5);
                List<Run> before = scheduledRuns(url);
                Map<Long, Integer> perFire = new HashMap<>();
                for (Run r : before) {
                    perFire.merge(r.fire(), 1, Integer::sum);
                }
                perFire.forEach((fire, runs) -> assertEquals(1, runs, "fire at " + Instant.ofEpochSecond(fire * FIRE_SECONDS)
                        + " ran " + runs + " times: " + before));
                assertTrue(before.stream().allMatch(r -> r.status().equals("ok")), before.toString());
                // each housekeeping (expiry) fire ran on one node: one log line per fire across both logs
                Map<Long, Integer> expiries = new HashMap<>();
                for (ServiceProcess node : List.of(a, b)) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "(?m)^(\\S+) INFO .* Blacklist expiry: ").matcher(node.ownLog());
                    while (m.find()) {
                        java.time.LocalDateTime t = java.time.LocalDateTime.parse(m.group(1).replace(',', '.'));
                        long second = t.atZone(java.time.ZoneId.systemDefault()).toEpochSecond();
                        expiries.merge((second - 2) / FIRE_SECONDS, 1, Integer::sum);
                    }
                }
                assertTrue(expiries.size() >= 3, "expiry fires seen: " + expiries);
                expiries.forEach((fire, runs) -> assertEquals(1, runs, "expiry fire " + fire + " ran " + runs + " times"));

                // kill -9 the node that ran the latest fire; the other takes over
                String runner = before.get(before.size() - 1).node();
                ServiceProcess victim = runner.equals("node-a") ? a : b;
                String survivor = runner.equals("node-a") ? "node-b" : "node-a";
                Instant killedAt = Instant.now();
                victim.kill();
                await().atMost(Duration.ofSeconds(60)).until(() -> scheduledRuns(url).stream()
                        .filter(r -> r.node().equals(survivor) && r.startedAt().isAfter(killedAt))
                        .filter(r -> r.status().equals("ok")).count() >= 2);
                System.out.printf("two-nodes: %d fires before the kill, each run once; %s killed, %s ran the next at %s "
                        + "(%.1f s after the kill)%n", perFire.size(), runner, survivor,
                        firstAfter(url, survivor, killedAt),
                        Duration.between(killedAt, firstAfter(url, survivor, killedAt)).toMillis() / 1000.0);
                // the survivor still ingests
                send(survivor.equals("node-a") ? propsA : propsB, 5);
                await().atMost(Duration.ofSeconds(30)).until(() -> count(url, "SELECT count(*) FROM firewall_log") == 35);
            }
        }
    }

    private record Run(long id, String node, Instant startedAt, String status) {
        long fire() {
            return startedAt.getEpochSecond() / FIRE_SECONDS;
        }
    }

    private static Instant firstAfter(String url, String node, Instant after) throws SQLException {
        return scheduledRuns(url).stream().filter(r -> r.node().equals(node) && r.startedAt().isAfter(after))
                .map(Run::startedAt).findFirst().orElseThrow();
    }

    private static Map<String, String> withName(Map<String, String> shared, String node) {
        Map<String, String> p = new HashMap<>(shared);
        p.put("cluster.node-name", node);
        return p;
    }

    private static List<Run> scheduledRuns(String url) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, node, started_at, status FROM detection_run WHERE trigger = 'schedule' ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                runs.add(new Run(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4)));
            }
        }
        return runs;
    }

    private static void send(Map<String, String> props, int lines) throws Exception {
        try (Socket s = new Socket("127.0.0.1", Integer.parseInt(props.get("syslog.tcp.port")))) {
            s.getOutputStream().write(CrashAndRestartIT.LINE.repeat(lines).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Folder clean-up for the test's own PostgreSQL. */
    static final class RunningServiceFiles {
        static void deleteRecursively(Path dir) throws java.io.IOException {
            if (!java.nio.file.Files.exists(dir)) {
                return;
            }
            try (var paths = java.nio.file.Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }
}
