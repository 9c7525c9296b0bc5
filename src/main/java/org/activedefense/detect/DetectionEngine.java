package org.activedefense.detect;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.activedefense.detect.Finding.Outcome;
import org.activedefense.policy.AddressPolicy;
import org.activedefense.policy.AddressPolicy.AllowlistEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One detection run: the three cases' SQL over the window, the address policy over every
 * candidate, the blacklist upserted, listed addresses that are still active refreshed, and the run
 * recorded with a finding per address.
 *
 * <p>Runs never overlap: a local lock for this node, and a PostgreSQL advisory lock for a cluster
 * of nodes on one database. A run that finds another in progress is recorded as skipped. Every
 * decision is idempotent (upsert), so a fire repeated during a cluster fail-over does no harm.
 */
public final class DetectionEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DetectionEngine.class);
    /** Advisory lock key shared by every node: "ActiveDefense detection". */
    private static final long RUN_LOCK = 0x4164446574656374L;
    private static final String PORT_SCAN_SQL = SqlFile.load("detect-port-scan.sql");
    private static final String HOST_SWEEP_SQL = SqlFile.load("detect-host-sweep.sql");
    private static final String VULNERABILITY_SQL = SqlFile.load("detect-vulnerability.sql");
    private static final String UPSERT_SQL = SqlFile.load("upsert-blacklist.sql");
    private static final String REFRESH_SQL = SqlFile.load("refresh-blacklist.sql");

    /**
     * Source networks the scan cases skip in SQL: the private and local ranges that make up most of
     * a firewall's lines (its own hosts going out) and that the address policy never lets through.
     * A pre-filter for speed only; every candidate still passes the full policy.
     */
    private static final String[] NEVER_BLOCKED_SOURCES = {
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "fc00::/7", "fe80::/10", "::1/128"};

    private final DataSource dataSource;
    private final Supplier<DetectionSettings> settings;
    private final AddressPolicy basePolicy;
    private final String node;
    private final int workMemMegabytes;
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final ReentrantLock localLock = new ReentrantLock();
    /** Runs skipped while the database was away, recorded as detection_run rows once it is back. */
    private final java.util.Deque<SkippedRun> unrecordedSkips = new java.util.ArrayDeque<>();
    private static final int MAX_UNRECORDED_SKIPS = 1000;
    private final io.micrometer.core.instrument.Counter skippedDatabaseDown;

    private record SkippedRun(String trigger, Instant startedAt, Instant decidedAt, String reason) {
    }

    /**
     * @param settings read at each run, so changed settings apply to the next run
     * @param basePolicy own networks and the properties' allowlist; the allowlist table is added per run
     */
    public DetectionEngine(DataSource dataSource, Supplier<DetectionSettings> settings, AddressPolicy basePolicy,
                           String node, int workMemMegabytes, io.micrometer.core.instrument.MeterRegistry meters) {
        if (workMemMegabytes < 1) {
            throw new IllegalArgumentException("detect.work-mem-mb must be at least 1");
        }
        this.workMemMegabytes = workMemMegabytes;
        this.dataSource = dataSource;
        this.settings = settings;
        this.basePolicy = basePolicy;
        this.node = node;
        this.skippedDatabaseDown = io.micrometer.core.instrument.Counter.builder("activedefense.detection.runs.skipped")
                .description("Detection runs skipped").tag("reason", "database-unavailable").register(meters);
    }

    /** Runs detection now; {@code trigger} says who asked (schedule, api). */
    public RunSummary run(String trigger) {
        Instant started = Instant.now();
        if (!localLock.tryLock()) {
            return recordSkipped(trigger, started, "a detection run is already in progress on this node");
        }
        try {
            return runLocked(trigger, started);
        } finally {
            localLock.unlock();
        }
    }

    private RunSummary runLocked(String trigger, Instant started) {
        long runId;
        try {
            recordSkippedRuns();
            runId = insertRun(trigger, started);
        } catch (SQLException e) {
            // Nothing to read and nowhere to write: skip, count, and record the skip once the database is back.
            String why = "database unavailable: " + e.getMessage();
            LOG.warn("Detection run skipped: {}", why);
            skippedDatabaseDown.increment();
            synchronized (unrecordedSkips) {
                if (unrecordedSkips.size() >= MAX_UNRECORDED_SKIPS) {
                    unrecordedSkips.removeFirst();
                }
                unrecordedSkips.addLast(new SkippedRun(trigger, started, Instant.now(), why));
            }
            return new RunSummary(null, trigger, "skipped", started, Instant.now(), Map.of(), List.of(), List.of(),
                    List.of(), List.of(), 0, why);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (!tryClusterLock(c)) {
                c.rollback();
                finishRun(runId, "skipped", Map.of(), 0, 0, 0, 0, "another node is running detection");
                return new RunSummary(runId, trigger, "skipped", started, Instant.now(), Map.of(), List.of(),
                        List.of(), List.of(), List.of(), 0, "another node is running detection");
            }
            DetectionSettings s = settings.get();
            try (var st = c.createStatement()) {
                // hashing a busy window's distinct triples needs more than PostgreSQL's 4 MB default
                st.execute("SET LOCAL work_mem = '" + workMemMegabytes + "MB'");
            }
            Map<String, Integer> matches = new LinkedHashMap<>();
            Map<String, Candidate> byAddress = new LinkedHashMap<>();
            collect(byAddress, matches, DetectionSettings.PORT_SCAN, portScans(c, s));
            collect(byAddress, matches, DetectionSettings.HOST_SWEEP, hostSweeps(c, s));
            collect(byAddress, matches, DetectionSettings.VULNERABILITY, vulnerabilities(c, s));

            AddressPolicy policy = basePolicy.withAllowlist(allowlistTable(c));
            List<Finding> added = new ArrayList<>();
            List<Finding> refreshed = new ArrayList<>();
            List<Finding> stopped = new ArrayList<>();
            List<Finding> simulated = new ArrayList<>();
            Instant now = Instant.now();
            try (PreparedStatement upsert = c.prepareStatement(UPSERT_SQL);
                 PreparedStatement finding = c.prepareStatement(
                         "INSERT INTO detection_finding (run_id, address, case_name, outcome, reason, evidence) "
                                 + "VALUES (?, CAST(? AS inet), ?, ?, ?, CAST(? AS jsonb))")) {
                for (Candidate cand : byAddress.values()) {
                    AddressPolicy.Verdict verdict = policy.check(cand.address(), now);
                    Finding f;
                    if (!verdict.blockable()) {
                        f = finding(cand, Outcome.STOPPED, verdict.reason());
                        stopped.add(f);
                        LOG.debug("Would have blocked {} ({}): {}", cand.address(), cand.caseName(), verdict.reason());
                    } else if (s.simulatedCases().contains(cand.caseName())) {
                        f = finding(cand, Outcome.SIMULATED, "simulation: " + cand.caseName() + " is simulated");
                        simulated.add(f);
                    } else {
                        boolean inserted = upsert(upsert, cand, runId);
                        f = finding(cand, inserted ? Outcome.NEW : Outcome.REFRESHED, null);
                        (inserted ? added : refreshed).add(f);
                    }
                    finding.setLong(1, runId);
                    finding.setString(2, f.address());
                    finding.setString(3, f.caseName());
                    finding.setString(4, f.outcome().label());
                    finding.setString(5, f.reason());
                    finding.setString(6, toJson(evidenceWithDevices(cand)));
                    finding.addBatch();
                }
                finding.executeBatch();
            }
            int activity = refreshByActivity(c, s);
            c.commit();
            finishRun(runId, "ok", matches, added.size(), refreshed.size() + activity, stopped.size(), simulated.size(), null);
            if (!added.isEmpty()) {
                LOG.info("Detection run {} listed {} new address(es): {}", runId, added.size(),
                        added.stream().map(Finding::address).limit(20).toList());
            }
            if (!stopped.isEmpty()) {
                // one line per run, not per address: the run's findings hold each address and reason
                LOG.info("Detection run {}: {} candidate(s) not blocked by the address policy (see detection_finding)",
                        runId, stopped.size());
            }
            return new RunSummary(runId, trigger, "ok", started, Instant.now(), matches, added, refreshed, stopped,
                    simulated, activity, null);
        } catch (SQLException | RuntimeException e) {
            LOG.error("Detection run {} failed: {}", runId, e.getMessage(), e);
            try {
                finishRun(runId, "failed", Map.of(), 0, 0, 0, 0, String.valueOf(e.getMessage()));
            } catch (SQLException ignored) {
                // the database is gone; the run row stays "running" and says so
            }
            return new RunSummary(runId, trigger, "failed", started, Instant.now(), Map.of(), List.of(), List.of(),
                    List.of(), List.of(), 0, String.valueOf(e.getMessage()));
        }
    }

    private static void collect(Map<String, Candidate> byAddress, Map<String, Integer> matches, String caseName,
                                List<Candidate> found) {
        matches.put(caseName, found.size());
        for (Candidate c : found) {
            // An address found by several cases keeps the first case (in the order of DESIGN) and its evidence.
            byAddress.putIfAbsent(c.address(), c);
        }
    }

    private List<Candidate> portScans(Connection c, DetectionSettings s) throws SQLException {
        if (s.portScanWindowMinutes() == 0) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(PORT_SCAN_SQL)) {
            ps.setInt(1, s.portScanWindowMinutes());
            ps.setArray(2, c.createArrayOf("inet", NEVER_BLOCKED_SOURCES));
            ps.setInt(3, s.portScanPorts());
            ps.setInt(4, s.portScanWindowMinutes());
            return strongestPerAddress(ps, DetectionSettings.PORT_SCAN, rs -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("case", DetectionSettings.PORT_SCAN);
                e.put("target", rs.getString("target"));
                e.put("distinctPorts", rs.getInt("distinct_ports"));
                e.put("lines", rs.getLong("lines"));
                e.put("samplePorts", numbers(rs.getArray("sample_ports")));
                e.put("windowMinutes", s.portScanWindowMinutes());
                return e;
            }, "distinctPorts");
        }
    }

    private List<Candidate> hostSweeps(Connection c, DetectionSettings s) throws SQLException {
        if (s.hostSweepWindowMinutes() == 0) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(HOST_SWEEP_SQL)) {
            ps.setInt(1, s.hostSweepWindowMinutes());
            ps.setArray(2, c.createArrayOf("inet", NEVER_BLOCKED_SOURCES));
            ps.setInt(3, s.hostSweepHosts());
            ps.setInt(4, s.hostSweepWindowMinutes());
            return strongestPerAddress(ps, DetectionSettings.HOST_SWEEP, rs -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("case", DetectionSettings.HOST_SWEEP);
                e.put("port", rs.getInt("port"));
                e.put("distinctHosts", rs.getInt("distinct_hosts"));
                e.put("lines", rs.getLong("lines"));
                e.put("sampleHosts", array(rs.getArray("sample_hosts")));
                e.put("windowMinutes", s.hostSweepWindowMinutes());
                return e;
            }, "distinctHosts");
        }
    }

    private List<Candidate> vulnerabilities(Connection c, DetectionSettings s) throws SQLException {
        if (s.vulnerabilityLevel() == 0) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(VULNERABILITY_SQL)) {
            ps.setInt(1, s.vulnerabilityWindowMinutes());
            ps.setArray(2, c.createArrayOf("text", s.vulnerabilitySubtypes().toArray()));
            ps.setArray(3, c.createArrayOf("text", s.vulnerabilitySeverities().toArray()));
            return strongestPerAddress(ps, DetectionSettings.VULNERABILITY, rs -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("case", DetectionSettings.VULNERABILITY);
                e.put("events", rs.getLong("events"));
                e.put("sampleThreats", array(rs.getArray("sample_threats")));
                e.put("severities", array(rs.getArray("severities")));
                e.put("sampleHosts", array(rs.getArray("sample_hosts")));
                e.put("windowMinutes", s.vulnerabilityWindowMinutes());
                return e;
            }, "events");
        }
    }

    private interface EvidenceReader {
        Map<String, Object> read(ResultSet rs) throws SQLException;
    }

    /** One candidate per address: the row with the largest count wins (e.g. the most-scanned target). */
    private static List<Candidate> strongestPerAddress(PreparedStatement ps, String caseName, EvidenceReader reader,
                                                       String strengthKey) throws SQLException {
        Map<String, Candidate> best = new LinkedHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> evidence = reader.read(rs);
                List<String> devices = array(rs.getArray("devices"));
                Candidate cand = new Candidate(rs.getString("address"), caseName, evidence, devices,
                        rs.getTimestamp("first_seen").toInstant(), rs.getTimestamp("last_seen").toInstant());
                best.merge(cand.address(), cand, (a, b) -> strength(b, strengthKey) > strength(a, strengthKey) ? b : a);
            }
        }
        return new ArrayList<>(best.values());
    }

    private static long strength(Candidate c, String key) {
        return ((Number) c.evidence().get(key)).longValue();
    }

    private static List<String> array(Array a) throws SQLException {
        if (a == null) {
            return List.of();
        }
        Object[] values = (Object[]) a.getArray();
        return Arrays.stream(values).filter(java.util.Objects::nonNull).map(String::valueOf).toList();
    }

    private static List<Integer> numbers(Array a) throws SQLException {
        if (a == null) {
            return List.of();
        }
        return Arrays.stream((Object[]) a.getArray()).filter(java.util.Objects::nonNull)
                .map(v -> ((Number) v).intValue()).toList();
    }

    private boolean upsert(PreparedStatement ps, Candidate cand, long runId) throws SQLException {
        ps.setString(1, cand.address());
        ps.setString(2, cand.caseName());
        ps.setTimestamp(3, Timestamp.from(cand.firstSeen()));
        ps.setTimestamp(4, Timestamp.from(cand.lastSeen()));
        ps.setString(5, toJson(evidenceWithDevices(cand)));
        ps.setLong(6, runId);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean("inserted");
        }
    }

    private static Map<String, Object> evidenceWithDevices(Candidate cand) {
        Map<String, Object> e = new LinkedHashMap<>(cand.evidence());
        e.put("devices", cand.devices());
        e.put("firstSeen", cand.firstSeen().toString());
        e.put("lastSeen", cand.lastSeen().toString());
        return e;
    }

    private static Finding finding(Candidate cand, Outcome outcome, String reason) {
        return new Finding(cand.address(), cand.caseName(), outcome, reason, cand.evidence(), cand.devices(),
                cand.firstSeen());
    }

    private int refreshByActivity(Connection c, DetectionSettings s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(REFRESH_SQL)) {
            ps.setInt(1, s.refreshWindowMinutes());
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    /** The policy a run would apply now: own networks, the properties' allowlist and the table's. */
    public AddressPolicy currentPolicy() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return basePolicy.withAllowlist(allowlistTable(c));
        }
    }

    private static List<AllowlistEntry> allowlistTable(Connection c) throws SQLException {
        List<AllowlistEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT network::text, comment, expires_at FROM allowlist");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp expires = rs.getTimestamp(3);
                entries.add(new AllowlistEntry(rs.getString(1), rs.getString(2), expires == null ? null : expires.toInstant()));
            }
        }
        return entries;
    }

    private static boolean tryClusterLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, RUN_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private long insertRun(String trigger, Instant started) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO detection_run (trigger, node, started_at, status) VALUES (?, ?, ?, 'running') RETURNING id")) {
            ps.setString(1, trigger);
            ps.setString(2, node);
            ps.setTimestamp(3, Timestamp.from(started));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void finishRun(long runId, String status, Map<String, Integer> matches, int added, int refreshed,
                           int stopped, int simulated, String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE detection_run SET finished_at = now(), status = ?, matches = CAST(? AS jsonb),
                         new_count = ?, refreshed_count = ?, stopped_count = ?, simulated_count = ?, error = ?
                     WHERE id = ?""")) {
            ps.setString(1, status);
            ps.setString(2, toJson(matches));
            ps.setInt(3, added);
            ps.setInt(4, refreshed);
            ps.setInt(5, stopped);
            ps.setInt(6, simulated);
            ps.setString(7, error);
            ps.setLong(8, runId);
            ps.executeUpdate();
        }
    }

    /** Writes the runs skipped during an outage as 'skipped' detection_run rows, oldest first. */
    private void recordSkippedRuns() throws SQLException {
        synchronized (unrecordedSkips) {
            if (unrecordedSkips.isEmpty()) {
                return;
            }
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO detection_run (trigger, node, started_at, "
                         + "finished_at, status, error) VALUES (?, ?, ?, ?, 'skipped', ?)")) {
                for (SkippedRun r : unrecordedSkips) {
                    ps.setString(1, r.trigger());
                    ps.setString(2, node);
                    ps.setTimestamp(3, Timestamp.from(r.startedAt()));
                    ps.setTimestamp(4, Timestamp.from(r.decidedAt()));
                    ps.setString(5, r.reason());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            LOG.info("Recorded {} detection run(s) skipped while the database was unavailable", unrecordedSkips.size());
            unrecordedSkips.clear();
        }
    }

    private RunSummary recordSkipped(String trigger, Instant started, String why) {
        Long id = null;
        try {
            id = insertRun(trigger, started);
            finishRun(id, "skipped", Map.of(), 0, 0, 0, 0, why);
        } catch (SQLException e) {
            LOG.warn("Skipped detection run not recorded: {}", e.getMessage());
        }
        return new RunSummary(id, trigger, "skipped", started, Instant.now(), Map.of(), List.of(), List.of(), List.of(),
                List.of(), 0, why);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
