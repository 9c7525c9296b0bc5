package org.activedefense.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.activedefense.ingest.IngestMetrics.DropCause;

/**
 * Frames received and dropped per sender address, with a bounded number of senders.
 *
 * <p>The sender is the socket's peer address, which a UDP flood can spoof at will: tracking every
 * address would let one flood create millions of meters. The first {@code maxSenders} addresses
 * seen get meters of their own (firewalls and relays, in practice); every later address is counted
 * under {@code sender="other"}. Meters are never removed while the service runs.
 */
public final class SenderMetrics {

    /** The label that every sender beyond the cap is counted under. */
    public static final String OTHER = "other";

    /** One sender's counters. */
    public static final class Sender {
        private final Counter received;
        private final Counter droppedQueueFull;
        private final Counter droppedNotAllowed;

        private Sender(MeterRegistry registry, String address) {
            received = Counter.builder("activedefense.sender.frames.received")
                    .description("Syslog frames received, per sender address (beyond the cap: other)")
                    .tag("sender", address).register(registry);
            droppedQueueFull = dropped(registry, address, DropCause.QUEUE_FULL);
            droppedNotAllowed = dropped(registry, address, DropCause.SENDER_NOT_ALLOWED);
        }

        private static Counter dropped(MeterRegistry registry, String address, DropCause cause) {
            return Counter.builder("activedefense.sender.frames.dropped")
                    .description("Syslog frames not stored, per sender address (beyond the cap: other)")
                    .tag("sender", address).tag("cause", cause.name().toLowerCase()).register(registry);
        }

        public void received(int frames) {
            received.increment(frames);
        }

        public void dropped(DropCause cause, int frames) {
            (cause == DropCause.QUEUE_FULL ? droppedQueueFull : droppedNotAllowed).increment(frames);
        }
    }

    private final MeterRegistry registry;
    private final int maxSenders;
    private final Map<String, Sender> senders = new ConcurrentHashMap<>();
    private final Sender other;

    public SenderMetrics(MeterRegistry registry, int maxSenders) {
        if (maxSenders < 0) {
            throw new IllegalArgumentException("syslog.sender-metrics.max-senders must not be negative");
        }
        this.registry = registry;
        this.maxSenders = maxSenders;
        this.other = new Sender(registry, OTHER);
        Gauge.builder("activedefense.sender.tracked", senders, Map::size)
                .description("Sender addresses with meters of their own (at most syslog.sender-metrics.max-senders)")
                .register(registry);
    }

    /** The counters of a sender, or of "other" once the cap is reached. */
    public Sender of(String address) {
        Sender known = senders.get(address);
        if (known != null) {
            return known;
        }
        if (senders.size() >= maxSenders) {
            return other;
        }
        synchronized (this) {
            // checked again under the lock so that concurrent new senders cannot pass the cap
            known = senders.get(address);
            if (known != null) {
                return known;
            }
            if (senders.size() >= maxSenders) {
                return other;
            }
            Sender created = new Sender(registry, address);
            senders.put(address, created);
            return created;
        }
    }

    public int tracked() {
        return senders.size();
    }
}
