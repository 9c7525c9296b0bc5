package org.activedefense.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.activedefense.ingest.LogSpool.Frame;
import org.activedefense.ingest.LogSpool.WhenFull;
import org.activedefense.ingest.SyslogFrame.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on its own: framing, torn tails, the size cap's drop policies, and progress across a reopen. */
class LogSpoolTest {

    @TempDir
    Path dir;

    private static SpooledBatch batch(int first, int rows) {
        List<String> copyRows = new ArrayList<>();
        for (int i = first; i < first + rows; i++) {
            copyRows.add("2026-11-22 13:00:00+00\tfw\t192.0.2.1\tcsv\t" + "row " + i + " \\t tab\n");
        }
        return new SpooledBatch(System.currentTimeMillis(), -1, copyRows,
                List.of(new RejectedLine(Instant.parse("2026-11-22T13:00:00.123456789Z"), "192.0.2.1", Transport.UDP,
                        "unrecognised body", "line " + first)));
    }

    private static LogSpool open(Path dir, long maxBytes, WhenFull whenFull, SimpleMeterRegistry meters) {
        return LogSpool.open(new LogSpool.Settings(dir, maxBytes, whenFull), meters);
    }

    private static int firstRow(Frame f) {
        String row = f.batch().copyRows().get(0);
        return Integer.parseInt(row.substring(row.indexOf("row ") + 4, row.indexOf(" \\t")));
    }

    @Test
    void batchesComeBackInOrderWholeAndSurviveAReopenWithTheirProgress() throws IOException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LogSpool spool = open(dir, 1 << 20, WhenFull.DROP_OLDEST, meters)) {
            for (int i = 0; i < 5; i++) {
                assertTrue(spool.append(batch(i * 10, 10)));
            }
            assertEquals(55, spool.lines());
            Frame first = spool.next(1);
            assertEquals(batch(0, 10).copyRows(), first.batch().copyRows());
            assertEquals(batch(0, 10).rejects(), first.batch().rejects());
            spool.confirm(first, false);
            Frame group = spool.next(25); // batches merge into one replay transaction of up to 25 lines
            assertEquals(20, group.batch().copyRows().size());
            spool.replaying(group, 4242); // a crash while committing it
        }
        try (LogSpool spool = open(dir, 1 << 20, WhenFull.DROP_OLDEST, new SimpleMeterRegistry())) {
            assertEquals(44, spool.lines());
            Frame again = spool.next(1);
            assertEquals(20, again.batch().copyRows().size(), "the group in flight comes back as it was");
            assertEquals(10, firstRow(again));
            assertEquals(4242, spool.pendingXid(again), "the commit in flight is known after the restart");
            spool.confirm(again, true);
            for (int expected = 30; expected < 50; expected += 10) {
                Frame f = spool.next(1);
                assertEquals(expected, firstRow(f));
                spool.confirm(f, false);
            }
            assertNull(spool.next(1));
            assertTrue(spool.isEmpty());
            assertEquals(0, spool.bytes());
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".spool")), "replayed segments are deleted");
        }
    }

    @Test
    void aTornTailIsCutOffAndTheValidPrefixKept() throws IOException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LogSpool spool = open(dir, 1 << 20, WhenFull.DROP_OLDEST, meters)) {
            spool.append(batch(0, 3));
            spool.append(batch(3, 3));
        }
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.filter(p -> p.toString().endsWith(".spool")).findFirst().orElseThrow();
        }
        long valid = Files.size(segment);
        // a crash in the middle of a third frame: its header and half its payload
        byte[] third = Files.readAllBytes(segment);
        Files.write(segment, java.util.Arrays.copyOf(third, third.length / 2 / 2), StandardOpenOption.APPEND);
        SimpleMeterRegistry reopened = new SimpleMeterRegistry();
        try (LogSpool spool = open(dir, 1 << 20, WhenFull.DROP_OLDEST, reopened)) {
            assertEquals(8, spool.lines());
            assertEquals(valid, Files.size(segment));
            assertEquals(third.length / 4, reopened.get("activedefense.spool.bytes.discarded").counter().count());
            assertEquals(0, firstRow(spool.next(1)));
        }
        // a flipped byte inside the last frame is caught by its checksum
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 5] ^= 0x55;
        Files.write(segment, bytes);
        try (LogSpool spool = open(dir, 1 << 20, WhenFull.DROP_OLDEST, new SimpleMeterRegistry())) {
            assertEquals(4, spool.lines());
        }
    }

    @Test
    void whenFullTheNewestOrTheOldestIsDroppedAndCounted() throws IOException {
        long cap = 64 * 1024; // segments of 8 KiB
        SimpleMeterRegistry newestMeters = new SimpleMeterRegistry();
        try (LogSpool spool = open(dir.resolve("newest"), cap, WhenFull.DROP_NEWEST, newestMeters)) {
            int accepted = 0;
            for (int i = 0; i < 200; i++) {
                if (spool.append(batch(i * 10, 10))) {
                    accepted++;
                }
            }
            assertTrue(spool.bytes() <= cap);
            double dropped = newestMeters.get("activedefense.spool.lines.dropped").counter().count();
            assertEquals((200 - accepted) * 11, dropped);
            assertEquals(accepted * 11L, spool.lines());
            assertEquals(0, firstRow(spool.next(1)), "drop-newest keeps the start");
        }
        SimpleMeterRegistry oldestMeters = new SimpleMeterRegistry();
        try (LogSpool spool = open(dir.resolve("oldest"), cap, WhenFull.DROP_OLDEST, oldestMeters)) {
            for (int i = 0; i < 200; i++) {
                assertTrue(spool.append(batch(i * 10, 10)));
            }
            assertTrue(spool.bytes() <= cap);
            double dropped = oldestMeters.get("activedefense.spool.lines.dropped").counter().count();
            assertEquals(200 * 11, dropped + spool.lines());
            assertTrue(dropped > 0);
            int first = firstRow(spool.next(1));
            assertEquals((int) (dropped / 11) * 10, first, "drop-oldest keeps the latest, in order");
        }
        assertFalse(Files.exists(dir.resolve("nothing")));
    }
}
