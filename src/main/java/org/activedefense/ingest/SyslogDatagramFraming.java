package org.activedefense.ingest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.activedefense.ingest.IngestMetrics.DropCause;
import org.activedefense.ingest.SyslogFrame.Transport;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each UDP datagram into one syslog frame (RFC 5426: one message per datagram), dropping and
 * counting datagrams from senders outside {@code syslog.allowed-senders}; the frames of one read
 * loop go on together as one list.
 */
public final class SyslogDatagramFraming extends DefaultChannelHandlerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SyslogDatagramFraming.class);

    private final int maxFrameBytes;
    private final SenderAllowlist allowlist;
    private final IngestMetrics metrics;

    public SyslogDatagramFraming(int maxFrameBytes, SenderAllowlist allowlist, IngestMetrics metrics) {
        this.maxFrameBytes = maxFrameBytes;
        this.allowlist = allowlist;
        this.metrics = metrics;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new Decoder();
    }

    /**
     * Collects the datagrams of one read loop and hands them on as one list when the loop ends, so
     * the route handles one exchange per read rather than per datagram.
     */
    private final class Decoder extends ChannelInboundHandlerAdapter {

        private List<SyslogFrame> pending = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket packet)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                SyslogFrame frame = decode(packet);
                if (frame != null) {
                    pending.add(frame);
                }
            } finally {
                packet.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!pending.isEmpty()) {
                List<SyslogFrame> batch = pending;
                pending = new ArrayList<>();
                ctx.fireChannelRead(batch);
            }
            ctx.fireChannelReadComplete();
        }

        private SyslogFrame decode(DatagramPacket packet) {
            InetAddress address = packet.sender().getAddress();
            String sender = addressText(address);
            if (!allowlist.allows(address)) {
                metrics.dropped(Transport.UDP, DropCause.SENDER_NOT_ALLOWED);
                metrics.senders().of(sender).dropped(DropCause.SENDER_NOT_ALLOWED, 1);
                return null;
            }
            ByteBuf content = packet.content();
            int length = content.readableBytes();
            if (length > maxFrameBytes) {
                metrics.oversized();
                String sample = content.toString(content.readerIndex(),
                        Math.min(length, SyslogStreamFraming.REFUSED_SAMPLE_BYTES), StandardCharsets.UTF_8);
                return SyslogFrame.refused(sample, sender, Transport.UDP,
                        "datagram of " + length + " bytes exceeds syslog.max-frame-bytes (" + maxFrameBytes + ")");
            }
            String text = SyslogStreamFraming.stripLineEnd(content.toString(StandardCharsets.UTF_8));
            return text.isEmpty() ? null : SyslogFrame.accepted(text, sender, Transport.UDP);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Camel's handler closes the channel on an exception, and for UDP that is the listener itself:
            // one bad datagram must not stop the service, so it is logged here and goes no further.
            LOG.warn("Datagram not decoded: {}", cause.toString());
        }
    }

    /** The address as text, without DNS and without an IPv6 scope. */
    static String addressText(InetAddress address) {
        String text = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int scope = text.indexOf('%');
            if (scope >= 0) {
                text = text.substring(0, scope);
            }
        }
        return text;
    }
}
