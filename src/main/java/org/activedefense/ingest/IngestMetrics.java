package org.activedefense.ingest;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.activedefense.ingest.SyslogFrame.Transport;
import org.activedefense.parse.LogRecord;

/** The ingest flow's counters, exported as {@code activedefense_*} metrics. */
public final class IngestMetrics {

    /** Why a frame was not queued for storage at all. */
    public enum DropCause { QUEUE_FULL, SENDER_NOT_ALLOWED }

    private final Map<Transport, Counter> received = new EnumMap<>(Transport.class);
    private final Map<Transport, Counter> rejected = new EnumMap<>(Transport.class);
    private final Map<Transport, Map<DropCause, Counter>> dropped = new EnumMap<>(Transport.class);
    private final Counter stored;
    private final Counter rejectsStored;
    /** Lines the writers handed to the spool (on disk, or dropped there and counted): out of flight. */
    private final java.util.concurrent.atomic.DoubleAdder handedToSpool = new java.util.concurrent.atomic.DoubleAdder();
    /** Rows and rejections committed by spool replay: their lines left the flight when spooled. */
    private final java.util.concurrent.atomic.DoubleAdder replayedStored = new java.util.concurrent.atomic.DoubleAdder();
    private final Counter oversized;
    private final Timer batchWrite;
    private final MeterRegistry registry;
    private final DeviceTags deviceTags;
    /** Per transport, device tag → counter; tags bounded by {@link DeviceTags}. */
    private final Map<Transport, Map<String, Counter>> deviceReceived = new EnumMap<>(Transport.class);
    private final Map<Transport, Map<String, Counter>> deviceStored = new EnumMap<>(Transport.class);
    private final Map<Transport, Map<String, Counter>> deviceRejected = new EnumMap<>(Transport.class);
    private final SenderMetrics senders;
    private final Counter connectionsRefusedTotal;
    private final Counter connectionsRefusedPerSender;
    private final Counter connectionsIdleClosed;

    /** Default cap on per-sender meters, as in application.properties. */
    public static final int DEFAULT_MAX_SENDERS = 100;
    /** Default cap on device tags (metrics.max-device-tags). */
    public static final int DEFAULT_MAX_DEVICE_TAGS = 50;

    public IngestMetrics(MeterRegistry registry) {
        this(registry, DEFAULT_MAX_SENDERS);
    }

    public IngestMetrics(MeterRegistry registry, int maxSenders) {
        this(registry, maxSenders, DEFAULT_MAX_DEVICE_TAGS);
    }

    /** {@code maxDeviceTags}: how many device names get their own {@code device} tag (metrics.max-device-tags). */
    public IngestMetrics(MeterRegistry registry, int maxSenders, int maxDeviceTags) {
        this.registry = registry;
        this.senders = new SenderMetrics(registry, maxSenders);
        this.deviceTags = new DeviceTags(maxDeviceTags);
        for (Transport t : Transport.values()) {
            deviceReceived.put(t, new ConcurrentHashMap<>());
            deviceStored.put(t, new ConcurrentHashMap<>());
            deviceRejected.put(t, new ConcurrentHashMap<>());
        }
        connectionsRefusedTotal = Counter.builder("activedefense.syslog.connections.refused")
                .description("TCP connections closed at once because a connection limit was reached")
                .tag("cause", "max_connections").register(registry);
        connectionsRefusedPerSender = Counter.builder("activedefense.syslog.connections.refused")
                .description("TCP connections closed at once because a connection limit was reached")
                .tag("cause", "max_connections_per_sender").register(registry);
        connectionsIdleClosed = Counter.builder("activedefense.syslog.connections.idle.closed")
                .description("TCP connections closed after syslog.tcp.idle-timeout-seconds without a complete frame")
                .register(registry);
        for (Transport t : Transport.values()) {
            String transport = t.name().toLowerCase();
            received.put(t, Counter.builder("activedefense.syslog.frames.received")
                    .description("Syslog frames received").tag("transport", transport).register(registry));
            rejected.put(t, Counter.builder("activedefense.log.lines.rejected")
                    .description("Lines that could not be parsed or framed (kept in rejected_line)")
                    .tag("transport", transport).register(registry));
            Map<DropCause, Counter> byCause = new EnumMap<>(DropCause.class);
            for (DropCause cause : DropCause.values()) {
                byCause.put(cause, Counter.builder("activedefense.syslog.frames.dropped")
                        .description("Frames not stored: ingest queue full (UDP only) or sender not allowed")
                        .tag("transport", transport).tag("cause", cause.name().toLowerCase()).register(registry));
            }
            dropped.put(t, byCause);
        }
        stored = Counter.builder("activedefense.log.lines.stored")
                .description("Log rows committed to firewall_log").register(registry);
        rejectsStored = Counter.builder("activedefense.rejected.lines.stored")
                .description("Rejected lines committed to rejected_line").register(registry);
        oversized = Counter.builder("activedefense.syslog.frames.oversized")
                .description("Frames longer than syslog.max-frame-bytes").register(registry);
        batchWrite = Timer.builder("activedefense.log.batch.write")
                .description("Time to write one batch to PostgreSQL").register(registry);
    }

    public void received(Transport transport) {
        received.get(transport).increment();
    }

    public void rejected(Transport transport) {
        rejected.get(transport).increment();
    }

    public void dropped(Transport transport, DropCause cause) {
        dropped.get(transport).get(cause).increment();
    }

    /** A line from {@code device} (syslog host name, or the sender address when unknown) reached the parser. */
    public void deviceReceived(Transport transport, String device) {
        deviceCounter(deviceReceived.get(transport), "activedefense.device.lines.received",
                "Lines received per listener and firewall", transport, device).increment();
    }

    public void deviceRejected(Transport transport, String device) {
        deviceCounter(deviceRejected.get(transport), "activedefense.device.lines.rejected",
                "Lines rejected (kept in rejected_line) per listener and firewall", transport, device).increment();
    }

    /** Counts committed rows per listener and firewall. */
    public void deviceStored(List<LogRecord> records) {
        for (LogRecord r : records) {
            Transport transport = r.transport == null ? null : Transport.valueOf(r.transport);
            if (transport != null) {
                deviceCounter(deviceStored.get(transport), "activedefense.device.lines.stored",
                        "Log rows committed to firewall_log per listener and firewall", transport, r.device).increment();
            }
        }
    }

    private Counter deviceCounter(Map<String, Counter> counters, String name, String description,
                                  Transport transport, String device) {
        String tag = deviceTags.tagOf(device);
        Counter counter = counters.get(tag);
        if (counter == null) {
            Counter.Builder b = Counter.builder(name).description(description)
                    .tag("transport", transport.name().toLowerCase()).tag("device", tag);
            counter = counters.computeIfAbsent(tag, k -> b.register(registry));
        }
        return counter;
    }

    public void oversized() {
        oversized.increment();
    }

    public void stored(int rows) {
        stored.increment(rows);
    }

    public void rejectsStored(int rows) {
        rejectsStored.increment(rows);
    }

    public void batchWritten(long nanos) {
        batchWrite.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void queueGauge(Supplier<Number> depth) {
        Gauge.builder("activedefense.ingest.queue.depth", depth)
                .description("Lines waiting to be written").register(registry);
    }

    /** Per-sender counters (bounded: see {@link SenderMetrics}). */
    public SenderMetrics senders() {
        return senders;
    }

    public void connectionRefused(boolean perSenderLimit) {
        (perSenderLimit ? connectionsRefusedPerSender : connectionsRefusedTotal).increment();
    }

    public void connectionIdleClosed() {
        connectionsIdleClosed.increment();
    }

    public void openConnectionsGauge(Supplier<Number> open) {
        Gauge.builder("activedefense.syslog.connections.open", open)
                .description("TCP syslog connections open now").register(registry);
    }

    /** Lines handed to the spool (durable there, or dropped by its policy and counted by it). */
    public void handedToSpool(int lines) {
        handedToSpool.add(lines);
    }

    /** Rows and rejections committed when replaying the spool (already counted in stored/rejectsStored). */
    public void replayedStored(int lines) {
        replayedStored.add(lines);
    }

    /**
     * Lines received and not yet committed, spooled or dropped: in the queue or in a batch being
     * written.
     */
    public long inFlight() {
        double done = stored.count() + rejectsStored.count() - replayedStored.sum() + handedToSpool.sum();
        double in = 0;
        for (Transport t : Transport.values()) {
            in += received.get(t).count() - dropped.get(t).get(DropCause.QUEUE_FULL).count();
        }
        return Math.round(in - done);
    }

    public double storedCount() {
        return stored.count();
    }

    public double droppedCount(Transport transport, DropCause cause) {
        return dropped.get(transport).get(cause).count();
    }
}
