package org.activedefense.ingest;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.activedefense.parse.LogRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes queued log records and rejected lines to PostgreSQL in batches, with COPY.
 *
 * <p>The queue is bounded: a TCP listener that {@link #put}s waits while it is full, which stops it
 * reading its socket and so slows the sender (back-pressure); a UDP listener {@link #offer}s and
 * counts what does not fit. A batch is written when it is full or when its first line has waited
 * the maximum latency. Device counters advance once per batch in the same transaction as the rows.
 * A batch the database refuses for a transient reason (connection lost, server restarting) is
 * retried with back-off, holding the queue; one it refuses for a data reason is split until the
 * offending row is found and kept as a rejection, so one bad row never blocks the rest. On stop,
 * everything already queued is written before the writer exits.
 */
public final class LogBatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(LogBatchWriter.class);
    private static final String COPY_SQL = "COPY firewall_log (" + CopyRowEncoder.COLUMNS + ") FROM STDIN";
    private static final String DEVICE_SQL = """
            INSERT INTO device (name, sender, first_seen, last_seen, lines_received)
            VALUES (?, ?::inet, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET
                sender = EXCLUDED.sender,
                last_seen = GREATEST(device.last_seen, EXCLUDED.last_seen),
                lines_received = device.lines_received + EXCLUDED.lines_received""";
    private static final String REJECT_SQL =
            "INSERT INTO rejected_line (received_at, sender, transport, reason, raw) VALUES (?, ?::inet, ?, ?, ?)";
    private static final long MAX_BACKOFF_MS = 5_000;

    private final DataSource dataSource;
    private final IngestMetrics metrics;
    private final WriterSettings settings;
    private final BlockingQueue<Object> queue;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    /** Lines given up on at shutdown (database unreachable until the shutdown timeout). */
    private final java.util.concurrent.atomic.AtomicLong abandoned = new java.util.concurrent.atomic.AtomicLong();

    /** Tuning of the writer, from the {@code ingest.*} properties. */
    public record WriterSettings(int batchSize, long maxLatencyMs, int queueCapacity, int threads,
                                 int rejectRawMaxChars, int partitionsAheadDays, long shutdownTimeoutMs) {
    }

    public LogBatchWriter(DataSource dataSource, IngestMetrics metrics, WriterSettings settings) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        metrics.queueGauge(queue::size);
    }

    /** Queues a record or rejection if there is room now; false means it was not queued. */
    public boolean offer(Object item) {
        return running.get() && queue.offer(item);
    }

    /** Queues a record or rejection, waiting for room; false only if the writer stopped meanwhile. */
    public boolean put(Object item) throws InterruptedException {
        while (running.get()) {
            if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    public int queued() {
        return queue.size();
    }

    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        for (int i = 0; i < settings.threads(); i++) {
            Thread t = new Thread(this::run, "log-batch-writer-" + i);
            t.start();
            threads.add(t);
        }
        LOG.info("Log batch writer started: {} thread(s), batches of {} lines or {} ms, queue of {}",
                settings.threads(), settings.batchSize(), settings.maxLatencyMs(), settings.queueCapacity());
    }

    public void stop() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        LOG.info("Log batch writer stopping: writing the {} queued line(s) first", queue.size());
        long deadline = System.currentTimeMillis() + settings.shutdownTimeoutMs();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long left = queue.size() + abandoned.get();
        if (threads.stream().anyMatch(Thread::isAlive)) {
            LOG.error("Log batch writer did not finish within ingest.shutdown-timeout-ms; {} queued line(s) and the "
                    + "batches in hand are not written", queue.size());
        } else if (left > 0) {
            LOG.error("Log batch writer stopped with {} line(s) not written (database unavailable)", left);
        } else {
            LOG.info("Log batch writer stopped; nothing left unwritten");
        }
        threads.clear();
    }

    private void run() {
        List<Object> batch = new ArrayList<>(settings.batchSize());
        while (running.get() || !queue.isEmpty()) {
            try {
                collect(batch);
                if (!batch.isEmpty()) {
                    write(batch);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Log batch writer: unexpected error, batch of {} kept for retry", batch.size(), e);
            }
        }
    }

    private void collect(List<Object> batch) throws InterruptedException {
        if (!batch.isEmpty()) {
            return; // a batch left over from a failed attempt is retried as it is
        }
        Object first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.maxLatencyMs());
        while (batch.size() < settings.batchSize()) {
            queue.drainTo(batch, settings.batchSize() - batch.size());
            long wait = deadline - System.nanoTime();
            if (batch.size() >= settings.batchSize() || wait <= 0 || !running.get()) {
                return;
            }
            Object next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void write(List<Object> batch) throws InterruptedException {
        List<LogRecord> records = new ArrayList<>(batch.size());
        List<RejectedLine> rejects = new ArrayList<>();
        for (Object item : batch) {
            if (item instanceof LogRecord r) {
                records.add(r);
            } else if (item instanceof RejectedLine r) {
                rejects.add(r);
            }
        }
        long backoff = 100;
        long giveUpAt = Long.MAX_VALUE;
        while (true) {
            try {
                writeSplitting(records, rejects);
                return;
            } catch (SQLException e) {
                if (!running.get()) {
                    // Shutting down: keep trying only until the shutdown timeout.
                    giveUpAt = Math.min(giveUpAt, System.currentTimeMillis() + settings.shutdownTimeoutMs());
                    if (System.currentTimeMillis() > giveUpAt) {
                        LOG.error("Giving up on a batch of {} line(s) at shutdown: {}", batch.size(), e.getMessage());
                        abandoned.addAndGet(batch.size());
                        return;
                    }
                }
                LOG.warn("Batch of {} line(s) not written ({}: {}); retrying in {} ms",
                        batch.size(), e.getSQLState(), e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /**
     * Writes rows and rejections; when the database refuses the rows for a reason in the data, splits
     * them to isolate the row it refuses, which becomes a rejection. Throws only transient failures.
     */
    private void writeSplitting(List<LogRecord> records, List<RejectedLine> rejects) throws SQLException {
        try {
            writeTransaction(records, rejects);
        } catch (SQLException e) {
            if (isMissingPartition(e)) {
                ensurePartitions();
                writeTransaction(records, rejects);
            } else if (isTransient(e) || records.isEmpty()) {
                throw e;
            } else if (records.size() == 1) {
                LogRecord r = records.get(0);
                List<RejectedLine> withPoison = new ArrayList<>(rejects);
                withPoison.add(new RejectedLine(r.receivedAt, r.sender, null,
                        "database refused the row: " + e.getMessage(), r.raw));
                LOG.warn("Database refused one row ({}); kept as a rejection", e.getMessage());
                writeTransaction(List.of(), withPoison);
            } else {
                int half = records.size() / 2;
                writeSplitting(records.subList(0, half), rejects);
                writeSplitting(records.subList(half, records.size()), List.of());
            }
        }
    }

    private void writeTransaction(List<LogRecord> records, List<RejectedLine> rejects) throws SQLException {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!records.isEmpty()) {
                    copyRecords(c, records);
                    upsertDevices(c, records);
                }
                if (!rejects.isEmpty()) {
                    insertRejects(c, rejects);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
        metrics.batchWritten(System.nanoTime() - started);
        metrics.stored(records.size());
        metrics.deviceStored(records);
        metrics.rejectsStored(rejects.size());
    }

    /** Rows are sent in chunks of about this many characters: a whole batch as one string was a humongous G1 object. */
    private static final int COPY_CHUNK_CHARS = 128 * 1024;

    private static void copyRecords(Connection c, List<LogRecord> records) throws SQLException {
        StringBuilder rows = new StringBuilder(COPY_CHUNK_CHARS + 8192);
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL);
        try {
            for (LogRecord r : records) {
                CopyRowEncoder.append(rows, r);
                if (rows.length() >= COPY_CHUNK_CHARS) {
                    send(copy, rows);
                }
            }
            send(copy, rows);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void send(CopyIn copy, StringBuilder rows) throws SQLException {
        if (rows.length() > 0) {
            byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            rows.setLength(0);
        }
    }

    private record DeviceTally(String sender, java.time.Instant first, java.time.Instant last, long lines) {
    }

    private static void upsertDevices(Connection c, List<LogRecord> records) throws SQLException {
        // Sorted by name so that two writers lock device rows in the same order and cannot deadlock.
        Map<String, DeviceTally> tallies = new TreeMap<>();
        for (LogRecord r : records) {
            tallies.merge(r.device, new DeviceTally(r.sender, r.receivedAt, r.receivedAt, 1),
                    (a, b) -> new DeviceTally(b.sender(), min(a.first(), b.first()), max(a.last(), b.last()),
                            a.lines() + b.lines()));
        }
        try (PreparedStatement ps = c.prepareStatement(DEVICE_SQL)) {
            for (Map.Entry<String, DeviceTally> e : tallies.entrySet()) {
                DeviceTally t = e.getValue();
                ps.setString(1, e.getKey());
                ps.setString(2, t.sender());
                ps.setTimestamp(3, Timestamp.from(t.first()));
                ps.setTimestamp(4, Timestamp.from(t.last()));
                ps.setLong(5, t.lines());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void insertRejects(Connection c, List<RejectedLine> rejects) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(REJECT_SQL)) {
            for (RejectedLine r : rejects) {
                ps.setTimestamp(1, Timestamp.from(r.receivedAt()));
                ps.setString(2, r.sender());
                ps.setString(3, r.transport() == null ? "unknown" : r.transport().name().toLowerCase());
                ps.setString(4, withoutNul(truncate(r.reason(), 1000)));
                ps.setString(5, withoutNul(truncate(r.raw(), settings.rejectRawMaxChars())));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Creates the daily partitions around today; called at start, hourly, and on a missing partition. */
    public int ensurePartitions() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT ensure_firewall_log_partitions(1, " + settings.partitionsAheadDays() + ")")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static boolean isMissingPartition(SQLException e) {
        return "23514".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("no partition");
    }

    /** Failures worth retrying as they are: the connection, the server's state, or a lock conflict. */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return true; // no server verdict: the connection failed before or during the statement
        }
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("40") || state.startsWith("55");
    }

    private static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, max);
    }

    private static String withoutNul(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool will discard it
        }
    }

    private static java.time.Instant min(java.time.Instant a, java.time.Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static java.time.Instant max(java.time.Instant a, java.time.Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
