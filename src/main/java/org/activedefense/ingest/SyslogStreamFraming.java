package org.activedefense.ingest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import org.activedefense.ingest.IngestMetrics.DropCause;
import org.activedefense.ingest.SyslogFrame.Transport;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * Cuts a TCP (or TLS) syslog stream into frames, one decoder per connection.
 *
 * <p>The framing is detected on the first frame of each connection: {@code LEN SP MSG} (RFC 6587
 * octet counting, as PAN-OS sends over TCP and SSL) when it starts with digits and a space,
 * otherwise LF-terminated lines (rsyslog, logger). Many frames per segment and frames split over
 * segments are both normal. A frame over the size limit is refused (counted and kept as a
 * rejection) and skipped; the connection is closed only when an octet count is unreadable, since
 * there is then no way to find the next frame.
 *
 * <p>All frames cut from one read go on as one list, so the route handles one exchange per read
 * rather than per line: per-exchange work in Camel costs about as much as parsing a line.
 */
public final class SyslogStreamFraming extends DefaultChannelHandlerFactory {

    /** How much of a refused frame is kept to show what it was. */
    static final int REFUSED_SAMPLE_BYTES = 512;
    private static final int MAX_LENGTH_DIGITS = 10;

    private final int maxFrameBytes;
    private final Transport transport;
    private final SenderAllowlist allowlist;
    private final IngestMetrics metrics;

    public SyslogStreamFraming(int maxFrameBytes, Transport transport, SenderAllowlist allowlist, IngestMetrics metrics) {
        this.maxFrameBytes = maxFrameBytes;
        this.transport = transport;
        this.allowlist = allowlist;
        this.metrics = metrics;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new Decoder();
    }

    private enum Mode { UNKNOWN, OCTET_COUNTED, LINE }

    private final class Decoder extends ByteToMessageDecoder {

        private Mode mode = Mode.UNKNOWN;
        private String sender = "0.0.0.0";
        /** Bytes still to skip of a refused octet-counted frame. */
        private long skipBytes;
        /** True while discarding an over-long LF line up to its end. */
        private boolean discardingLine;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel().remoteAddress() instanceof InetSocketAddress peer && peer.getAddress() != null) {
                InetAddress address = peer.getAddress();
                sender = SyslogDatagramFraming.addressText(address);
                if (!allowlist.allows(address)) {
                    metrics.dropped(transport, DropCause.SENDER_NOT_ALLOWED);
                    metrics.senders().of(sender).dropped(DropCause.SENDER_NOT_ALLOWED, 1);
                    ctx.close();
                    return;
                }
            }
            super.channelActive(ctx);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> batchOut) {
            List<Object> out = new java.util.ArrayList<>();
            decodeFrames(ctx, in, out);
            if (!out.isEmpty()) {
                batchOut.add(out);
            }
        }

        private void decodeFrames(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.isReadable() && ctx.channel().isActive()) {
                int readable = in.readableBytes();
                int produced = out.size();
                Mode before = mode;
                switch (mode) {
                    case UNKNOWN -> detectMode(in);
                    case OCTET_COUNTED -> decodeOctetCounted(ctx, in, out);
                    case LINE -> decodeLine(in, out);
                    default -> throw new IllegalStateException(mode.name());
                }
                if (in.readableBytes() == readable && out.size() == produced && mode == before) {
                    return; // the next frame is incomplete: wait for more bytes
                }
            }
        }

        private void detectMode(ByteBuf in) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int i = start;
            while (i < end && i - start <= MAX_LENGTH_DIGITS && isDigit(in.getByte(i))) {
                i++;
            }
            if (i == start) {
                mode = Mode.LINE;
            } else if (i == end && i - start <= MAX_LENGTH_DIGITS) {
                return; // only digits so far: wait for the byte that decides
            } else {
                mode = in.getByte(i) == ' ' && i - start <= MAX_LENGTH_DIGITS ? Mode.OCTET_COUNTED : Mode.LINE;
            }
        }

        private void decodeOctetCounted(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (skipBytes > 0) {
                int n = (int) Math.min(skipBytes, in.readableBytes());
                in.skipBytes(n);
                skipBytes -= n;
                return;
            }
            // Some senders end each counted frame with a newline as well; it is not part of a frame.
            while (in.isReadable() && isLineBreak(in.getByte(in.readerIndex()))) {
                in.skipBytes(1);
            }
            if (!in.isReadable()) {
                return;
            }
            int start = in.readerIndex();
            int end = in.writerIndex();
            long length = 0;
            int i = start;
            while (i < end && isDigit(in.getByte(i))) {
                length = length * 10 + (in.getByte(i) - '0');
                i++;
                if (i - start > MAX_LENGTH_DIGITS) {
                    unreadable(ctx, in, out, "octet count longer than " + MAX_LENGTH_DIGITS + " digits");
                    return;
                }
            }
            if (i == end) {
                return; // the count continues in the next segment
            }
            if (i == start || in.getByte(i) != ' ') {
                unreadable(ctx, in, out, "expected an octet count, found other bytes");
                return;
            }
            int headerLength = i - start + 1;
            if (length > maxFrameBytes) {
                metrics.oversized();
                int available = Math.min(end - start - headerLength, REFUSED_SAMPLE_BYTES);
                String sample = in.toString(start + headerLength, Math.max(available, 0), StandardCharsets.UTF_8);
                out.add(SyslogFrame.refused(sample, sender, transport,
                        "frame of " + length + " bytes exceeds syslog.max-frame-bytes (" + maxFrameBytes + ")"));
                in.skipBytes(headerLength);
                skipBytes = length;
                return;
            }
            if (end - start - headerLength < length) {
                return; // wait for the rest of the frame
            }
            String text = in.toString(start + headerLength, (int) length, StandardCharsets.UTF_8);
            in.skipBytes(headerLength + (int) length);
            emit(stripLineEnd(text), out);
        }

        private void unreadable(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, String why) {
            int sampleLength = Math.min(in.readableBytes(), REFUSED_SAMPLE_BYTES);
            out.add(SyslogFrame.refused(in.toString(in.readerIndex(), sampleLength, StandardCharsets.UTF_8),
                    sender, transport, "unreadable octet-counted framing (" + why + "); connection closed"));
            in.skipBytes(in.readableBytes());
            ctx.close();
        }

        private void decodeLine(ByteBuf in, List<Object> out) {
            int start = in.readerIndex();
            int lf = in.forEachByte(ByteProcessor.FIND_LF);
            if (discardingLine) {
                if (lf < 0) {
                    in.skipBytes(in.readableBytes());
                } else {
                    in.readerIndex(lf + 1);
                    discardingLine = false;
                }
                return;
            }
            if (lf < 0) {
                if (in.readableBytes() > maxFrameBytes) {
                    refuseLongLine(in, out);
                    in.skipBytes(in.readableBytes());
                    discardingLine = true;
                }
                return;
            }
            int length = lf - start;
            if (length > maxFrameBytes) {
                refuseLongLine(in, out);
                in.readerIndex(lf + 1);
                return;
            }
            String text = in.toString(start, length, StandardCharsets.UTF_8);
            in.readerIndex(lf + 1);
            emit(stripLineEnd(text), out);
        }

        private void refuseLongLine(ByteBuf in, List<Object> out) {
            metrics.oversized();
            String sample = in.toString(in.readerIndex(), Math.min(in.readableBytes(), REFUSED_SAMPLE_BYTES),
                    StandardCharsets.UTF_8);
            out.add(SyslogFrame.refused(sample, sender, transport,
                    "line longer than syslog.max-frame-bytes (" + maxFrameBytes + ")"));
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> batchOut) {
            List<Object> out = new java.util.ArrayList<>();
            decodeRest(in, out);
            if (!out.isEmpty()) {
                batchOut.add(out);
            }
        }

        private void decodeRest(ByteBuf in, List<Object> out) {
            if (!in.isReadable()) {
                return;
            }
            if (mode == Mode.LINE && !discardingLine) {
                // the last line of a stream need not end with LF
                String text = in.toString(StandardCharsets.UTF_8);
                in.skipBytes(in.readableBytes());
                emit(stripLineEnd(text), out);
            } else if (mode == Mode.OCTET_COUNTED && skipBytes == 0) {
                int sampleLength = Math.min(in.readableBytes(), REFUSED_SAMPLE_BYTES);
                out.add(SyslogFrame.refused(in.toString(in.readerIndex(), sampleLength, StandardCharsets.UTF_8),
                        sender, transport, "connection closed inside an octet-counted frame"));
                in.skipBytes(in.readableBytes());
            } else if (mode == Mode.UNKNOWN) {
                String text = in.toString(StandardCharsets.UTF_8);
                in.skipBytes(in.readableBytes());
                emit(stripLineEnd(text), out);
            } else {
                in.skipBytes(in.readableBytes());
            }
        }

        private void emit(String text, List<Object> out) {
            if (!text.isEmpty()) {
                out.add(SyslogFrame.accepted(text, sender, transport));
            }
        }
    }

    static String stripLineEnd(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return end == text.length() ? text : text.substring(0, end);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isLineBreak(byte b) {
        return b == '\n' || b == '\r';
    }
}
