package org.activedefense.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
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
 * A batch the database refuses for a data reason is split until the offending row is found and kept
 * as a rejection, so one bad row never blocks the rest.
 *
 * <p>A batch the database cannot take for a transient reason (unreachable, restarting, out of
 * resources, a lock conflict) goes to the {@link LogSpool} on disk, and until the database answers
 * again every batch goes straight there, so the queue keeps moving. A replay thread writes the spool
 * back in order once the database is back, next to the fresh batches the writers then write directly
 * (fresh lines are never held behind the backlog). Without a spool ({@code ingest.spool.max-mb=0})
 * such a batch is retried with back-off, holding the queue. A commit whose answer was lost is looked
 * up ({@code txid_status}) before the batch is written again. On stop, everything already queued is
 * written, or spooled, before the writer exits.
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
    /** Where batches go while the database is away; null when spooling is off. */
    private final LogSpool spool;
    /** True from a transient failure until the database answers again: batches go to the spool. */
    private volatile boolean databaseDown;
    private volatile long downSinceMillis;
    private volatile String downReason;
    private Thread replayer;

    /** Tuning of the writer, from the {@code ingest.*} properties. */
    public record WriterSettings(int batchSize, long maxLatencyMs, int queueCapacity, int threads,
                                 int rejectRawMaxChars, int partitionsAheadDays, long shutdownTimeoutMs) {
    }

    /** @param spool where batches go while the database is away, or null to hold and retry them instead */
    public LogBatchWriter(DataSource dataSource, IngestMetrics metrics, WriterSettings settings, LogSpool spool) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.settings = settings;
        this.spool = spool;
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

    /** True while the database cannot take batches and they go to the spool. */
    public boolean spooling() {
        return databaseDown;
    }

    /** When the current outage began (epoch ms), or 0. */
    public long spoolingSinceMillis() {
        return databaseDown ? downSinceMillis : 0;
    }

    /** Why batches go to the spool (the database's last error), or null. */
    public String spoolingReason() {
        return databaseDown ? downReason : null;
    }

    /** The spool, or null when spooling is off. */
    public LogSpool spool() {
        return spool;
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
        if (spool != null) {
            replayer = new Thread(this::replay, "log-spool-replayer");
            replayer.start();
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
        if (replayer != null) {
            // a replay in progress finishes its batch; the rest waits in the spool for the next start
            replayer.interrupt();
            try {
                replayer.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            replayer = null;
            if (!spool.isEmpty()) {
                LOG.warn("Ingest spool keeps {} line(s) ({} bytes) for the next start", spool.lines(), spool.bytes());
            }
            spool.close();
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
                try {
                    Thread.sleep(1000); // not a tight loop of the same error
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The replay thread: writes the spool back in order while the database answers. */
    private void replay() {
        long backoff = 100;
        long replayedSinceMillis = 0;
        while (running.get()) {
            try {
                LogSpool.Frame frame = spool.next(settings.batchSize());
                boolean progressed;
                if (frame != null) {
                    progressed = replay(frame);
                } else if (databaseDown) {
                    progressed = probe();
                } else {
                    if (replayedSinceMillis > 0) {
                        LOG.info("Ingest spool replayed completely in {} ms", System.currentTimeMillis() - replayedSinceMillis);
                        replayedSinceMillis = 0;
                    }
                    Thread.sleep(200); // nothing spooled, database up: look again shortly
                    continue;
                }
                if (progressed && frame != null && replayedSinceMillis == 0) {
                    replayedSinceMillis = System.currentTimeMillis();
                }
                if (progressed) {
                    markUp();
                    backoff = 100;
                } else {
                    Thread.sleep(backoff);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.error("Ingest spool replay: {}", e.getMessage(), e);
                try {
                    Thread.sleep(MAX_BACKOFF_MS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Replays one spooled batch; false when the database cannot take it now. */
    private boolean replay(LogSpool.Frame frame) throws IOException {
        SpooledBatch batch = frame.batch();
        for (long xid : new long[] {batch.uncertainXid(), spool.pendingXid(frame)}) {
            if (xid < 0) {
                continue;
            }
            Boolean committed;
            try {
                committed = xidCommitted(xid);
            } catch (SQLException e) {
                markDown(e);
                return false;
            }
            if (committed == null) {
                return false; // its commit is still being decided: ask again shortly
            }
            if (committed) {
                LOG.info("Spooled batch of {} line(s) had been committed before its answer was lost; not written again",
                        batch.lines());
                spool.confirm(frame, true);
                return true;
            }
        }
        List<Row> rows = new ArrayList<>(batch.copyRows().size());
        for (String row : batch.copyRows()) {
            rows.add(new SpooledRow(row));
        }
        Part whole = new Part(rows, batch.rejects());
        try {
            writeParts(whole, xid -> {
                try {
                    spool.replaying(frame, xid);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, true);
            spool.confirm(frame, false);
            return true;
        } catch (Unwritten u) {
            markDown(u.getCause());
            if (u.parts.size() == 1 && u.parts.get(0) == whole) {
                return false; // nothing of it written: it stays first in line
            }
            // Part of a batch being split around a refused row is written: the rest goes to the end of
            // the spool, so the written part is not written again.
            spool(u.parts, u.uncertainXid, false);
            spool.confirm(frame, false);
            return false;
        }
    }

    private boolean probe() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(5);
        } catch (SQLException e) {
            downReason = e.getMessage();
            return false;
        }
    }

    private void markDown(SQLException e) {
        downReason = e.getSQLState() + ": " + e.getMessage();
        if (!databaseDown) {
            downSinceMillis = System.currentTimeMillis();
            databaseDown = true;
            LOG.warn("Database unavailable for ingest ({}): batches go to the spool in {} until it answers again",
                    downReason, spool.settings().dir().toAbsolutePath());
        }
    }

    private void markUp() {
        if (databaseDown) {
            databaseDown = false;
            LOG.info("Database reachable again after {} s; {} spooled line(s) are replayed while new lines are written "
                    + "directly", (System.currentTimeMillis() - downSinceMillis) / 1000, spool.lines());
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
        List<Row> records = new ArrayList<>(batch.size());
        List<RejectedLine> rejects = new ArrayList<>();
        for (Object item : batch) {
            if (item instanceof LogRecord r) {
                records.add(new LiveRow(r));
            } else if (item instanceof RejectedLine r) {
                rejects.add(r);
            }
        }
        Part whole = new Part(records, rejects);
        if (spool != null) {
            writeOrSpool(whole);
        } else {
            writeRetrying(whole, batch.size());
        }
    }

    /** With a spool: a batch the database cannot take now goes to disk, and the writer moves on. */
    private void writeOrSpool(Part whole) {
        if (databaseDown) {
            spool(List.of(whole), -1, true);
            return;
        }
        try {
            writeParts(whole, null);
        } catch (Unwritten u) {
            markDown(u.getCause());
            spool(u.parts, u.uncertainXid, true);
        }
    }

    /** Without a spool: retries with back-off, holding the queue (TCP senders wait, UDP drops). */
    private void writeRetrying(Part whole, int lines) throws InterruptedException {
        Deque<Part> remaining = new ArrayDeque<>(List.of(whole));
        long uncertainXid = -1;
        long backoff = 100;
        long giveUpAt = Long.MAX_VALUE;
        while (true) {
            try {
                if (uncertainXid >= 0) {
                    Boolean committed = xidCommitted(uncertainXid);
                    if (committed == null) {
                        throw new SQLException("the last commit is still in progress");
                    }
                    if (committed) {
                        remaining.removeFirst(); // committed after all; only its answer was lost
                    }
                    uncertainXid = -1;
                }
                while (!remaining.isEmpty()) {
                    writeParts(remaining.peekFirst(), null);
                    remaining.removeFirst();
                }
                return;
            } catch (Unwritten u) {
                remaining.removeFirst();
                for (int i = u.parts.size() - 1; i >= 0; i--) {
                    remaining.addFirst(u.parts.get(i));
                }
                uncertainXid = u.uncertainXid;
                SQLException e = u.getCause();
                if (!running.get()) {
                    // Shutting down: keep trying only until the shutdown timeout.
                    giveUpAt = Math.min(giveUpAt, System.currentTimeMillis() + settings.shutdownTimeoutMs());
                    if (System.currentTimeMillis() > giveUpAt) {
                        LOG.error("Giving up on a batch of {} line(s) at shutdown: {}", lines, e.getMessage());
                        abandoned.addAndGet(remaining.stream().mapToInt(Part::lines).sum());
                        return;
                    }
                }
                LOG.warn("Batch of {} line(s) not written ({}: {}); retrying in {} ms",
                        lines, e.getSQLState(), e.getMessage(), backoff);
            } catch (SQLException e) {
                LOG.warn("Batch of {} line(s): cannot learn whether its last commit went through ({}); retrying in {} ms",
                        lines, e.getMessage(), backoff);
            }
            Thread.sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    /** @param live batches from the queue (leaving the flight), not the rest of a replayed one */
    private void spool(List<Part> parts, long uncertainXid, boolean live) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            List<String> copyRows = new ArrayList<>(p.rows().size());
            for (Row r : p.rows()) {
                copyRows.add(r.copyText());
            }
            try {
                spool.append(new SpooledBatch(now, i == 0 ? uncertainXid : -1, copyRows, p.rejects()));
                if (live) {
                    metrics.handedToSpool(p.lines());
                }
            } catch (IOException e) {
                // the batch stays with the writer thread, which tries again (database or spool)
                throw new UncheckedIOException("the ingest spool cannot be written", e);
            }
        }
    }

    /**
     * Writes rows and rejections; when the database refuses rows for a reason in the data, splits
     * them to isolate the row it refuses, which becomes a rejection. A transient failure ends the
     * attempt with {@link Unwritten}: the parts not yet committed, so that nothing is written twice.
     *
     * @param beforeCommit told the transaction id just before the undivided batch is committed, or null
     */
    private void writeParts(Part whole, java.util.function.LongConsumer beforeCommit) throws Unwritten {
        writeParts(whole, beforeCommit, false);
    }

    /** @param fromSpool the batch is replayed from the spool (its lines left the flight when spooled) */
    private void writeParts(Part whole, java.util.function.LongConsumer beforeCommit, boolean fromSpool)
            throws Unwritten {
        Deque<Part> pending = new ArrayDeque<>();
        pending.add(whole);
        boolean partitionsEnsured = false;
        boolean split = false;
        while (!pending.isEmpty()) {
            Part p = pending.peekFirst();
            Attempt attempt = new Attempt();
            try {
                writeTransaction(p.rows(), p.rejects(), attempt, split ? null : beforeCommit);
                pending.removeFirst();
                if (fromSpool) {
                    metrics.replayedStored(p.lines());
                }
            } catch (SQLException e) {
                if (isMissingPartition(e) && !partitionsEnsured) {
                    partitionsEnsured = true;
                    try {
                        ensurePartitions();
                    } catch (SQLException failed) {
                        throw new Unwritten(pending, -1, failed);
                    }
                } else if (isTransient(e)) {
                    throw new Unwritten(pending, attempt.commitSent ? attempt.xid : -1, e);
                } else {
                    pending.removeFirst();
                    split = true;
                    splitRefused(p, e, pending);
                }
            }
        }
    }

    /** Puts the halves of a part the database refused first in line, or its one row as a rejection. */
    private void splitRefused(Part p, SQLException e, Deque<Part> pending) {
        if (p.rows().isEmpty()) {
            if (p.rejects().size() > 1) {
                int half = p.rejects().size() / 2;
                pending.addFirst(new Part(List.of(), p.rejects().subList(half, p.rejects().size())));
                pending.addFirst(new Part(List.of(), p.rejects().subList(0, half)));
            } else {
                LOG.error("Database refused to keep a rejected line ({}); it is lost: {}", e.getMessage(), p.rejects());
            }
        } else if (p.rows().size() == 1) {
            Row r = p.rows().get(0);
            List<RejectedLine> withPoison = new ArrayList<>(p.rejects());
            withPoison.add(new RejectedLine(r.receivedAt(), r.sender(), null,
                    "database refused the row: " + e.getMessage(), r.raw()));
            LOG.warn("Database refused one row ({}); kept as a rejection", e.getMessage());
            pending.addFirst(new Part(List.of(), withPoison));
        } else {
            int half = p.rows().size() / 2;
            pending.addFirst(new Part(p.rows().subList(half, p.rows().size()), List.of()));
            pending.addFirst(new Part(p.rows().subList(0, half), p.rejects()));
        }
    }

    private void writeTransaction(List<Row> records, List<RejectedLine> rejects, Attempt attempt,
                                  java.util.function.LongConsumer beforeCommit) throws SQLException {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (spool != null) {
                    attempt.xid = currentXid(c);
                }
                if (!records.isEmpty()) {
                    copyRecords(c, records);
                    upsertDevices(c, records);
                }
                if (!rejects.isEmpty()) {
                    insertRejects(c, rejects);
                }
                if (beforeCommit != null) {
                    beforeCommit.accept(attempt.xid);
                }
                attempt.commitSent = true;
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } catch (AssertionError e) {
                // pgjdbc asserts (with -ea only, as under the tests) in executeBatch on a connection the
                // server closed, where it otherwise reports the closed connection
                rollbackQuietly(c);
                throw new SQLException("connection closed: " + e.getMessage(), "08003", e);
            }
        }
        metrics.batchWritten(System.nanoTime() - started);
        metrics.stored(records.size());
        List<LogRecord> live = new ArrayList<>(records.size());
        for (Row r : records) {
            if (r instanceof LiveRow l) {
                live.add(l.record()); // replayed rows carry no listener: not in the per-device counters
            }
        }
        metrics.deviceStored(live);
        metrics.rejectsStored(rejects.size());
    }

    private static long currentXid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT txid_current()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Whether a transaction whose commit answer was lost did commit: true, false (aborted, or too
     * old for PostgreSQL to remember, or from another server), or null while it is still running.
     */
    private Boolean xidCommitted(long xid) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT txid_status(?)")) {
            ps.setLong(1, xid);
            try (var rs = ps.executeQuery()) {
                rs.next();
                String status = rs.getString(1);
                if ("in progress".equals(status)) {
                    return null;
                }
                return "committed".equals(status);
            }
        } catch (SQLException e) {
            if ("22023".equals(e.getSQLState())) {
                return false; // "transaction ID is in the future": not this server's transaction
            }
            throw e;
        }
    }

    /** Rows are sent in chunks of about this many characters: a whole batch as one string was a humongous G1 object. */
    private static final int COPY_CHUNK_CHARS = 128 * 1024;

    private static void copyRecords(Connection c, List<Row> records) throws SQLException {
        StringBuilder rows = new StringBuilder(COPY_CHUNK_CHARS + 8192);
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL);
        try {
            for (Row r : records) {
                r.appendCopy(rows);
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

    /** One row of a batch: a record parsed now, or a row read back from the spool. */
    private interface Row {
        void appendCopy(StringBuilder out);

        /** The row as COPY text, for the spool. */
        String copyText();

        String device();

        String sender();

        Instant receivedAt();

        String raw();
    }

    private record LiveRow(LogRecord record) implements Row {
        @Override
        public void appendCopy(StringBuilder out) {
            CopyRowEncoder.append(out, record);
        }

        @Override
        public String copyText() {
            StringBuilder out = new StringBuilder(512);
            CopyRowEncoder.append(out, record);
            return out.toString();
        }

        @Override
        public String device() {
            return record.device;
        }

        @Override
        public String sender() {
            return record.sender;
        }

        @Override
        public Instant receivedAt() {
            return record.receivedAt;
        }

        @Override
        public String raw() {
            return record.raw;
        }
    }

    /** A spooled row: its COPY text, with the few fields the device counters and a rejection need. */
    private static final class SpooledRow implements Row {
        private static final int RECEIVED_AT = 0;
        private static final int DEVICE = 1;
        private static final int SENDER = 2;
        private static final int RAW = 24;
        private final String text;
        private final String[] fields;

        SpooledRow(String text) {
            this.text = text;
            this.fields = CopyRowEncoder.fields(text);
        }

        @Override
        public void appendCopy(StringBuilder out) {
            out.append(text);
        }

        @Override
        public String copyText() {
            return text;
        }

        @Override
        public String device() {
            return fields[DEVICE];
        }

        @Override
        public String sender() {
            return fields[SENDER];
        }

        @Override
        public Instant receivedAt() {
            return CopyRowEncoder.parseTime(fields[RECEIVED_AT]);
        }

        @Override
        public String raw() {
            return fields.length > RAW ? fields[RAW] : null;
        }
    }

    /** Rows and rejections written in one transaction. */
    private record Part(List<Row> rows, List<RejectedLine> rejects) {
        int lines() {
            return rows.size() + rejects.size();
        }
    }

    /** What one transaction got to: its id, and whether its commit was sent (outcome unknown if it then failed). */
    private static final class Attempt {
        long xid = -1;
        boolean commitSent;
    }

    /** A transient failure, with the parts of the batch not known to be written, in order. */
    private static final class Unwritten extends Exception {
        final List<Part> parts;
        /** The transaction of the first part if its commit was sent but unanswered, else -1. */
        final long uncertainXid;

        Unwritten(Collection<Part> parts, long uncertainXid, SQLException cause) {
            super(cause.getMessage(), cause, false, false);
            this.parts = List.copyOf(parts);
            this.uncertainXid = uncertainXid;
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private record DeviceTally(String sender, java.time.Instant first, java.time.Instant last, long lines) {
    }

    private static void upsertDevices(Connection c, List<Row> records) throws SQLException {
        // Sorted by name so that two writers lock device rows in the same order and cannot deadlock.
        Map<String, DeviceTally> tallies = new TreeMap<>();
        for (Row r : records) {
            tallies.merge(r.device(), new DeviceTally(r.sender(), r.receivedAt(), r.receivedAt(), 1),
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
