package org.activedefense.ingest;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small file, rewritten every second, that says how many received lines were not yet written to
 * the database — so that after a crash or {@code kill -9} the next start can say how many lines
 * were in flight and may be lost (syslog over TCP has no application acknowledgement: the sender
 * cannot resend them). A clean stop marks the file as stopped.
 */
public final class IngestCheckpoint {

    private static final Logger LOG = LoggerFactory.getLogger(IngestCheckpoint.class);

    private final Path file;
    private final LongSupplier inFlight;
    private final long periodMs;
    private ScheduledExecutorService timer;

    /**
     * @param inFlight lines received and not yet committed (queued, in a batch being written)
     */
    public IngestCheckpoint(Path file, LongSupplier inFlight, long periodMs) {
        this.file = file;
        this.inFlight = inFlight;
        this.periodMs = periodMs;
    }

    /** Reports what the previous run left (if it did not stop cleanly), then starts recording. */
    public void start() {
        reportPreviousRun();
        write("running");
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-checkpoint");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> write("running"), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Called after the writer stopped: records a clean stop and what was left unwritten, if anything. */
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        write("stopped");
    }

    private void reportPreviousRun() {
        if (!Files.exists(file)) {
            return;
        }
        Properties previous = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            previous.load(in);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Ingest checkpoint {} not readable: {}", file, e.getMessage());
            return;
        }
        String state = previous.getProperty("state", "");
        String inFlightThen = previous.getProperty("in-flight-lines", "?");
        if (state.equals("running")) {
            LOG.warn("The previous run did not stop cleanly (killed or crashed) at about {}: {} line(s) received "
                    + "then were not yet written to the database and are lost, as is anything received in the last "
                    + "{} ms before it ended (syslog over TCP has no acknowledgement, so senders do not resend them)",
                    previous.getProperty("updated-at", "?"), inFlightThen, periodMs);
        } else if (!inFlightThen.equals("0")) {
            LOG.warn("The previous run stopped with {} line(s) not written to the database", inFlightThen);
        }
    }

    private synchronized void write(String state) {
        Properties p = new Properties();
        p.setProperty("state", state);
        p.setProperty("in-flight-lines", String.valueOf(Math.max(0, inFlight.getAsLong())));
        p.setProperty("updated-at", Instant.now().toString());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp)) {
                p.store(out, "ActiveDefense ingest checkpoint: lines received but not yet written (see docs/ingest.md)");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.debug("Ingest checkpoint not written: {}", e.getMessage());
        }
    }
}
