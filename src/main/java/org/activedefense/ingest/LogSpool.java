package org.activedefense.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, append-only spool on disk for batches the database could not take: segment files of
 * length- and checksum-framed batches, replayed in order and deleted as they are confirmed written.
 *
 * <p>Frame: magic, payload length, line count, CRC-32C of the payload, payload
 * ({@link SpooledBatch#encode}). Each append is forced to disk before it counts as spooled. A torn
 * or corrupt frame (a crash mid-write) is found when the spool is opened: the segment is cut there
 * and its valid prefix kept. Replay progress lives in a small checkpoint file (segment, offset, and
 * the transaction id of a replay commit in flight), replaced atomically after every batch, so a
 * restart continues where replay stopped and a replay whose commit answer was lost is not written
 * twice. When the size cap is reached the oldest segment or the newest batch is dropped, as
 * configured, and counted; the spool never grows the heap — only segment metadata is kept in
 * memory.
 */
public final class LogSpool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogSpool.class);
    private static final int MAGIC = 0x41445350; // "ADSP"
    private static final int HEADER_BYTES = 16;
    private static final int MAX_FRAME_BYTES = 256 * 1024 * 1024;
    private static final Pattern SEGMENT_NAME = Pattern.compile("segment-(\\d{20})\\.spool");
    private static final String CHECKPOINT = "replay.checkpoint";

    /** What to drop when a batch does not fit under the cap. */
    public enum WhenFull {
        /** Delete the oldest segment(s): keep what happened most recently. */
        DROP_OLDEST,
        /** Refuse the batch being added: keep the start of the outage. */
        DROP_NEWEST;

        static WhenFull parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ingest.spool.when-full must be drop-oldest or drop-newest, not '"
                        + value + "'");
            }
        }
    }

    /** Where the spool lives and how large it may grow; {@code maxBytes} 0 turns it off. */
    public record Settings(Path dir, long maxBytes, WhenFull whenFull) {
        public static Settings of(String dir, long maxMegabytes, String whenFull) {
            if (maxMegabytes < 0) {
                throw new IllegalArgumentException("ingest.spool.max-mb must not be negative");
            }
            return new Settings(Path.of(dir), maxMegabytes * 1024 * 1024, WhenFull.parse(whenFull));
        }

        public boolean enabled() {
            return maxBytes > 0;
        }
    }

    /** A batch read back from the spool, with where it sits. */
    record Frame(SpooledBatch batch, long segment, long offset, long end) {
    }

    private static final class Segment {
        final long seq;
        final Path path;
        long bytes;
        long lines;
        long linesDone;
        long readOffset;
        long firstFrameMillis;
        long headFrameMillis;

        Segment(long seq, Path path) {
            this.seq = seq;
            this.path = path;
        }
    }

    private final Settings settings;
    private final long segmentBytes;
    private final Deque<Segment> segments = new ArrayDeque<>();
    private FileChannel tail;
    private long totalBytes;
    private long totalLines;
    /** Sequence number of the next segment; always above every segment and the checkpoint's. */
    private long nextSeq = 1;
    /** Checkpoint: transaction of a replay commit in flight for the frame at the head's read offset. */
    private long pendingXid = -1;
    /** Where the group of batches of that replay commit ends. */
    private long pendingEnd = -1;
    /** drop-newest: the spool filled up and refuses batches until replay has emptied half of it. */
    private boolean refusing;
    private final Counter spooled;
    private final Counter replayed;
    private final Counter dropped;
    private final Counter alreadyCommitted;
    private final Counter discardedBytes;

    private LogSpool(Settings settings, MeterRegistry meters) {
        this.settings = settings;
        this.segmentBytes = Math.max(4096, Math.min(16L * 1024 * 1024, settings.maxBytes() / 8));
        Gauge.builder("activedefense.spool.bytes", this, LogSpool::bytes)
                .description("Bytes in the ingest spool (batches waiting for the database)").register(meters);
        Gauge.builder("activedefense.spool.lines", this, LogSpool::lines)
                .description("Lines in the ingest spool, not yet written to the database").register(meters);
        Gauge.builder("activedefense.spool.oldest.age.seconds", this, LogSpool::oldestAgeSeconds)
                .description("Age of the oldest batch still in the spool (0 when empty)").register(meters);
        spooled = Counter.builder("activedefense.spool.lines.spooled")
                .description("Lines written to the spool because the database could not take them").register(meters);
        replayed = Counter.builder("activedefense.spool.lines.replayed")
                .description("Spooled lines written to the database on replay").register(meters);
        dropped = Counter.builder("activedefense.spool.lines.dropped")
                .description("Lines lost because the spool was full (ingest.spool.when-full)")
                .tag("policy", settings.whenFull().name().toLowerCase(Locale.ROOT).replace('_', '-')).register(meters);
        alreadyCommitted = Counter.builder("activedefense.spool.lines.already.committed")
                .description("Spooled lines found already committed on replay (lost commit answer), not written again")
                .register(meters);
        discardedBytes = Counter.builder("activedefense.spool.bytes.discarded")
                .description("Bytes of torn or corrupt spool frames cut off when the spool was opened").register(meters);
    }

    /** Opens the spool in {@code settings.dir()}, checking every frame and cutting torn ones off. */
    public static LogSpool open(Settings settings, MeterRegistry meters) {
        LogSpool spool = new LogSpool(settings, meters);
        try {
            spool.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the ingest spool in " + settings.dir().toAbsolutePath(), e);
        }
        return spool;
    }

    private void load() throws IOException {
        Files.createDirectories(settings.dir());
        long[] checkpoint = readCheckpoint();
        List<Segment> found = new ArrayList<>();
        try (var files = Files.list(settings.dir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = SEGMENT_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.add(new Segment(Long.parseLong(m.group(1)), p));
                }
            }
        }
        found.sort((a, b) -> Long.compare(a.seq, b.seq));
        nextSeq = Math.max(nextSeq, checkpoint[0] + 1);
        if (!found.isEmpty()) {
            nextSeq = Math.max(nextSeq, found.get(found.size() - 1).seq + 1);
        }
        for (Segment s : found) {
            if (s.seq < checkpoint[0]) {
                Files.deleteIfExists(s.path); // replayed before a crash, not yet deleted
                continue;
            }
            long readOffset = s.seq == checkpoint[0] ? checkpoint[1] : 0;
            scan(s, readOffset);
            if (s.bytes == 0 || s.readOffset >= s.bytes) {
                Files.deleteIfExists(s.path);
                continue;
            }
            if (s.seq == checkpoint[0] && checkpoint[3] > s.readOffset && checkpoint[3] <= s.bytes) {
                pendingXid = checkpoint[2];
                pendingEnd = checkpoint[3];
            }
            segments.add(s);
            totalBytes += s.bytes;
            totalLines += s.lines - s.linesDone;
        }
        if (!segments.isEmpty()) {
            LOG.warn("Ingest spool holds {} line(s) ({} bytes in {} segment(s)) from before the restart; they are "
                    + "replayed into the database", totalLines, totalBytes, segments.size());
        }
    }

    /** Reads every frame of a segment, cutting it at the first torn or corrupt one. */
    private void scan(Segment s, long checkpointOffset) throws IOException {
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long offset = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            while (offset < size) {
                header.clear();
                if (size - offset < HEADER_BYTES || readFully(ch, header, offset) < HEADER_BYTES) {
                    break;
                }
                header.flip();
                int magic = header.getInt();
                int length = header.getInt();
                int lines = header.getInt();
                int crc = header.getInt();
                if (magic != MAGIC || length < 16 || length > MAX_FRAME_BYTES || lines < 0
                        || offset + HEADER_BYTES + length > size) {
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(ch, payload, offset + HEADER_BYTES);
                if (crc32c(payload.array()) != crc) {
                    break;
                }
                if (offset == 0) {
                    s.firstFrameMillis = ByteBuffer.wrap(payload.array()).getLong();
                }
                s.lines += lines;
                if (offset < checkpointOffset) {
                    s.linesDone += lines;
                } else if (offset == checkpointOffset || s.headFrameMillis == 0) {
                    s.headFrameMillis = ByteBuffer.wrap(payload.array()).getLong();
                }
                offset += HEADER_BYTES + length;
            }
            if (offset < size) {
                LOG.warn("Ingest spool segment {}: {} byte(s) after offset {} are torn or corrupt (a crash while "
                        + "writing?) and are cut off; the {} valid line(s) before them are kept", s.path.getFileName(),
                        size - offset, offset, s.lines);
                discardedBytes.increment(size - offset);
                ch.truncate(offset);
                ch.force(true);
            }
            s.bytes = offset;
            s.readOffset = Math.min(checkpointOffset, offset);
        }
    }

    /**
     * Adds a batch at the end of the spool, forced to disk. Returns false when it was dropped instead
     * (spool full under drop-newest, or one batch larger than the whole cap).
     */
    public synchronized boolean append(SpooledBatch batch) throws IOException {
        byte[] payload = batch.encode();
        int frameBytes = HEADER_BYTES + payload.length;
        if (frameBytes > settings.maxBytes()) {
            dropped.increment(batch.lines());
            LOG.error("Ingest spool: a batch of {} line(s) ({} bytes) is larger than ingest.spool.max-mb; dropped",
                    batch.lines(), frameBytes);
            return false;
        }
        while (refusing || totalBytes + frameBytes > settings.maxBytes()) {
            if (settings.whenFull() == WhenFull.DROP_NEWEST || segments.isEmpty()) {
                // once full, refuse everything until replay makes room: a smaller batch that would still
                // fit must not slip in after larger ones were refused (the spool keeps a clean start)
                refusing = settings.whenFull() == WhenFull.DROP_NEWEST;
                dropped.increment(batch.lines());
                LOG.warn("Ingest spool full ({} bytes): a batch of {} line(s) dropped (ingest.spool.when-full=drop-newest)",
                        totalBytes, batch.lines());
                return false;
            }
            Segment oldest = segments.removeFirst();
            long lost = oldest.lines - oldest.linesDone;
            if (segments.isEmpty()) {
                closeTail();
            }
            Files.deleteIfExists(oldest.path);
            totalBytes -= oldest.bytes;
            totalLines -= lost;
            pendingXid = -1;
            dropped.increment(lost);
            LOG.warn("Ingest spool full: the oldest segment with {} line(s) dropped (ingest.spool.when-full=drop-oldest)", lost);
        }
        Segment last = segments.peekLast();
        if (last == null || tail == null || last.bytes >= segmentBytes) {
            closeTail();
            long seq = nextSeq++;
            last = new Segment(seq, settings.dir().resolve(String.format("segment-%020d.spool", seq)));
            tail = FileChannel.open(last.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            last.firstFrameMillis = batch.spooledAtMillis();
            last.headFrameMillis = batch.spooledAtMillis();
            segments.addLast(last);
        }
        ByteBuffer frame = ByteBuffer.allocate(frameBytes);
        frame.putInt(MAGIC).putInt(payload.length).putInt(batch.lines()).putInt(crc32c(payload)).put(payload).flip();
        long position = last.bytes;
        while (frame.hasRemaining()) {
            position += tail.write(frame, position);
        }
        tail.force(false);
        last.bytes += frameBytes;
        last.lines += batch.lines();
        totalBytes += frameBytes;
        totalLines += batch.lines();
        spooled.increment(batch.lines());
        return true;
    }

    /**
     * The oldest batches not yet confirmed written, merged into one of up to about {@code maxLines}
     * lines (one transaction on replay instead of many small ones), or null when the spool is empty.
     * A batch with an uncertain commit comes alone; after a restart, the group whose commit was in
     * flight comes back exactly as it was.
     */
    synchronized Frame next(int maxLines) throws IOException {
        Segment head = segments.peekFirst();
        if (head == null || head.readOffset >= head.bytes) {
            return null;
        }
        long limit = pendingXid >= 0 && pendingEnd > head.readOffset ? pendingEnd : head.bytes;
        boolean exact = limit != head.bytes;
        List<String> rows = new ArrayList<>();
        List<RejectedLine> rejects = new ArrayList<>();
        long spooledAt = 0;
        long xid = -1;
        long offset = head.readOffset;
        try (FileChannel ch = FileChannel.open(head.path, StandardOpenOption.READ)) {
            while (offset < limit) {
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
                readFully(ch, header, offset);
                header.flip();
                header.getInt();
                int length = header.getInt();
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(ch, payload, offset + HEADER_BYTES);
                SpooledBatch batch = SpooledBatch.decode(payload.array());
                boolean first = offset == head.readOffset;
                if (!first && !exact && (batch.uncertainXid() >= 0 || rows.size() + rejects.size() + batch.lines() > maxLines)) {
                    break;
                }
                if (first) {
                    spooledAt = batch.spooledAtMillis();
                    xid = batch.uncertainXid();
                }
                rows.addAll(batch.copyRows());
                rejects.addAll(batch.rejects());
                offset += HEADER_BYTES + length;
                if (xid >= 0 && !exact) {
                    break; // a batch whose commit is uncertain is looked up on its own
                }
            }
        }
        head.headFrameMillis = spooledAt;
        return new Frame(new SpooledBatch(spooledAt, xid, rows, rejects), head.seq, head.readOffset, offset);
    }

    /** The transaction of a replay commit of this frame whose answer never came (a crash), or -1. */
    synchronized long pendingXid(Frame frame) {
        Segment head = segments.peekFirst();
        return head != null && head.seq == frame.segment() && head.readOffset == frame.offset() ? pendingXid : -1;
    }

    /** Records, before committing, the transaction a replay of this frame is about to commit. */
    synchronized void replaying(Frame frame, long xid) throws IOException {
        Segment head = segments.peekFirst();
        if (head == null || head.seq != frame.segment() || head.readOffset != frame.offset()) {
            // dropped (drop-oldest) while this replay waited for the database: it must not be written now
            throw new IllegalStateException("spooled batch dropped while being replayed");
        }
        pendingXid = xid;
        pendingEnd = frame.end();
        writeCheckpoint(frame.segment(), frame.offset(), xid, frame.end());
    }

    /**
     * Marks a frame written (or found already written) and moves past it; a fully replayed segment
     * is deleted.
     */
    synchronized void confirm(Frame frame, boolean foundCommitted) throws IOException {
        Segment head = segments.peekFirst();
        if (head == null || head.seq != frame.segment() || head.readOffset != frame.offset()) {
            return; // dropped meanwhile (drop-oldest)
        }
        int lines = frame.batch().lines();
        head.readOffset = frame.end();
        head.linesDone += lines;
        totalLines -= lines;
        pendingXid = -1;
        pendingEnd = -1;
        if (refusing && totalBytes - (head.readOffset >= head.bytes ? head.bytes : 0) <= settings.maxBytes() / 2) {
            refusing = false;
        }
        if (foundCommitted) {
            alreadyCommitted.increment(lines);
        } else {
            replayed.increment(lines);
        }
        if (head.readOffset >= head.bytes) {
            segments.removeFirst();
            if (segments.isEmpty()) {
                closeTail();
            }
            totalBytes -= head.bytes;
            // the checkpoint first: a crash in between must not replay the next segment from its middle
            writeCheckpoint(head.seq + 1, 0, -1, -1);
            Files.deleteIfExists(head.path);
        } else {
            writeCheckpoint(head.seq, head.readOffset, -1, -1);
        }
    }

    public synchronized boolean isEmpty() {
        return segments.isEmpty();
    }

    public synchronized long bytes() {
        return totalBytes;
    }

    public synchronized long lines() {
        return totalLines;
    }

    public synchronized double oldestAgeSeconds() {
        Segment head = segments.peekFirst();
        if (head == null) {
            return 0;
        }
        long since = head.readOffset == 0 ? head.firstFrameMillis : head.headFrameMillis;
        return Math.max(0, System.currentTimeMillis() - since) / 1000.0;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public synchronized void close() {
        closeTail();
    }

    private void closeTail() {
        if (tail != null) {
            try {
                tail.close();
            } catch (IOException e) {
                LOG.warn("Ingest spool: closing a segment failed: {}", e.getMessage());
            }
            tail = null;
        }
    }

    /**
     * {segment, offset, pending xid, its end}: everything before (segment, offset) is written; the
     * batches from there to the end may have been committed by transaction xid.
     */
    private long[] readCheckpoint() throws IOException {
        Path file = settings.dir().resolve(CHECKPOINT);
        if (!Files.exists(file)) {
            return new long[] {0, 0, -1, -1};
        }
        String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
        try {
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                Long.parseLong(parts[3])};
        } catch (RuntimeException e) {
            LOG.warn("Ingest spool checkpoint unreadable ({}); replaying the spool from its start", e.getMessage());
            return new long[] {0, 0, -1, -1};
        }
    }

    private void writeCheckpoint(long segment, long offset, long xid, long end) throws IOException {
        Path file = settings.dir().resolve(CHECKPOINT);
        Path temp = settings.dir().resolve(CHECKPOINT + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((segment + " " + offset + " " + xid + " " + end + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(settings.dir(), StandardOpenOption.READ)) {
            dir.force(true); // make the rename itself durable
        } catch (IOException ignored) {
            // not every file system lets a directory be opened; the rename is still atomic
        }
    }

    private static int readFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static int crc32c(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }
}
