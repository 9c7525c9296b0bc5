package org.activedefense.ingest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protects the TCP syslog listener from floods of connections and from clients that hold a
 * connection without delivering: a limit on open connections (in all and per sender address), and
 * an idle timeout measured in complete frames, not bytes.
 *
 * <p>It sits after the framing decoder in each connection's pipeline, so it sees frames: a
 * slow-drip client that sends a byte now and then but never finishes a frame is as idle as a silent
 * one and is closed after {@code syslog.tcp.idle-timeout-seconds}. A connection over a limit is
 * closed as soon as it is accepted. Both are counted. Idle connections cost no thread (netty reads
 * every socket from a few event loops), and each connection's partial frame is bounded by
 * {@code syslog.max-frame-bytes}, so open connections cost at most limit × frame size of memory.
 *
 * <p>On stop, {@link #awaitQuiet} lets the listener read what senders already wrote before the
 * sockets are closed: see {@code docs/ingest.md}, "Stopping".
 */
public final class SyslogConnectionGuard extends DefaultChannelHandlerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SyslogConnectionGuard.class);

    private final int maxConnections;
    private final int maxPerSender;
    private final int idleTimeoutSeconds;
    private final IngestMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> openPerSender = new ConcurrentHashMap<>();
    /** When any connection last delivered frames (System.nanoTime). */
    private final AtomicLong lastFrameNanos = new AtomicLong(System.nanoTime());

    /**
     * @param maxConnections     most connections open at once (0 = no limit)
     * @param maxPerSender       most connections open at once from one address (0 = no limit)
     * @param idleTimeoutSeconds a connection delivering no complete frame this long is closed (0 = never)
     */
    public SyslogConnectionGuard(int maxConnections, int maxPerSender, int idleTimeoutSeconds, IngestMetrics metrics) {
        if (maxConnections < 0 || maxPerSender < 0 || idleTimeoutSeconds < 0) {
            throw new IllegalArgumentException("syslog.tcp connection limits and idle timeout must not be negative");
        }
        this.maxConnections = maxConnections;
        this.maxPerSender = maxPerSender;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.metrics = metrics;
        metrics.openConnectionsGauge(open::get);
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new Guard();
    }

    public int openConnections() {
        return open.get();
    }

    /**
     * Waits until no connection has delivered a frame for {@code quietMs} and no reader waits for
     * room in the queue, or until {@code maxMs} have passed; returns whether it became quiet.
     * Called when the service stops, before the listener closes its sockets: lines a sender wrote
     * just before the stop are still in the kernel's buffers and would be lost with the socket.
     */
    public boolean awaitQuiet(long quietMs, long maxMs, BooleanSupplier readersWaiting) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(quietMs);
        while (System.nanoTime() < deadline) {
            if (open.get() == 0) {
                return true;
            }
            boolean quiet = System.nanoTime() - lastFrameNanos.get() >= quietNanos;
            if (quiet && !readersWaiting.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** One per connection. An {@link IdleStateHandler} on reads, which past the framer are whole frames. */
    private final class Guard extends IdleStateHandler {

        private InetAddress sender;
        private boolean counted;

        Guard() {
            super(idleTimeoutSeconds, 0, 0, TimeUnit.SECONDS);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress peer ? peer.getAddress() : null;
            int total = open.incrementAndGet();
            AtomicInteger fromSender = address == null ? null
                    : openPerSender.computeIfAbsent(address, a -> new AtomicInteger());
            int perSender = fromSender == null ? 0 : fromSender.incrementAndGet();
            sender = address;
            counted = true;
            boolean overTotal = maxConnections > 0 && total > maxConnections;
            boolean overSender = maxPerSender > 0 && perSender > maxPerSender;
            if (overTotal || overSender) {
                metrics.connectionRefused(!overTotal);
                LOG.debug("Syslog connection from {} closed: {} open (limit {}), {} from this sender (limit {})",
                        address, total, maxConnections, perSender, maxPerSender);
                ctx.close();
                return;
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            lastFrameNanos.set(System.nanoTime());
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (counted) {
                counted = false;
                open.decrementAndGet();
                if (sender != null) {
                    // removes the sender's entry when its last connection closes, so the map stays small
                    openPerSender.computeIfPresent(sender, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
                }
            }
            super.channelInactive(ctx);
        }

        @Override
        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
            metrics.connectionIdleClosed();
            LOG.debug("Syslog connection from {} closed: no complete frame for {} s", sender, idleTimeoutSeconds);
            ctx.close();
        }
    }
}
