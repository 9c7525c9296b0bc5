package org.activedefense.ingest;

import java.util.List;

import org.activedefense.ingest.IngestMetrics.DropCause;
import org.activedefense.parse.LogRecord;
import org.activedefense.parse.PanosLogParser;
import org.activedefense.parse.RejectedLineException;

/**
 * Takes each framed syslog message from a listener route: parses it, and queues the typed record
 * (or the rejection with its reason) for the batch writer.
 *
 * <p>Stream transports wait for room in the queue (back-pressure reaches the sender through TCP);
 * UDP cannot be slowed down, so a datagram that finds the queue full is dropped and counted.
 */
public final class SyslogIntake {

    private final PanosLogParser parser;
    private final LogBatchWriter writer;
    private final IngestMetrics metrics;

    public SyslogIntake(PanosLogParser parser, LogBatchWriter writer, IngestMetrics metrics) {
        this.parser = parser;
        this.writer = writer;
        this.metrics = metrics;
    }

    /** Readers waiting for room in the queue right now (a stop waits for them: see SyslogConnectionGuard). */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    /** Handles the frames of one read from a TCP or TLS connection, waiting while the queue is full. */
    public void acceptStreamFrames(List<SyslogFrame> frames) throws InterruptedException {
        if (!frames.isEmpty()) {
            // one connection, one sender
            metrics.senders().of(frames.get(0).sender()).received(frames.size());
        }
        for (SyslogFrame frame : frames) {
            metrics.received(frame.transport());
            Object item = toQueueItem(frame);
            if (!writer.offer(item)) {
                waiting.incrementAndGet();
                try {
                    writer.put(item);
                } finally {
                    waiting.decrementAndGet();
                }
            }
        }
    }

    /** Handles the datagrams of one read; drops and counts each that finds the queue full. */
    public void acceptDatagrams(List<SyslogFrame> frames) {
        // Per-sender counts are tallied per run of frames from one sender (a read usually holds one or a few).
        String runSender = null;
        int runReceived = 0;
        int runDropped = 0;
        for (SyslogFrame frame : frames) {
            if (!frame.sender().equals(runSender)) {
                countSender(runSender, runReceived, runDropped);
                runSender = frame.sender();
                runReceived = 0;
                runDropped = 0;
            }
            runReceived++;
            metrics.received(frame.transport());
            Object item = toQueueItem(frame);
            if (!writer.offer(item)) {
                metrics.dropped(frame.transport(), DropCause.QUEUE_FULL);
                runDropped++;
            }
        }
        countSender(runSender, runReceived, runDropped);
    }

    private void countSender(String sender, int received, int dropped) {
        if (sender == null) {
            return;
        }
        SenderMetrics.Sender counters = metrics.senders().of(sender);
        counters.received(received);
        if (dropped > 0) {
            counters.dropped(DropCause.QUEUE_FULL, dropped);
        }
    }

    /** True while a stream reader waits for room in the queue (its socket is then not being read). */
    public boolean readersWaiting() {
        return waiting.get() > 0;
    }

    private Object toQueueItem(SyslogFrame frame) {
        if (frame.refusal() != null) {
            metrics.rejected(frame.transport());
            metrics.deviceReceived(frame.transport(), frame.sender());
            metrics.deviceRejected(frame.transport(), frame.sender());
            return new RejectedLine(frame.receivedAt(), frame.sender(), frame.transport(), frame.refusal(), frame.text());
        }
        try {
            LogRecord record = parser.parse(frame.text(), frame.sender(), frame.receivedAt());
            record.transport = frame.transport().name();
            metrics.deviceReceived(frame.transport(), record.device);
            return record;
        } catch (RejectedLineException e) {
            metrics.rejected(frame.transport());
            // the line did not parse, so its sender address stands for the device
            metrics.deviceReceived(frame.transport(), frame.sender());
            metrics.deviceRejected(frame.transport(), frame.sender());
            return new RejectedLine(frame.receivedAt(), frame.sender(), frame.transport(), e.getMessage(), frame.text());
        }
    }
}
