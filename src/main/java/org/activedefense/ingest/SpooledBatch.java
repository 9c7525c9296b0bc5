package org.activedefense.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.activedefense.ingest.SyslogFrame.Transport;

/**
 * One batch as it is kept in the spool: its rows already encoded for COPY, its rejections, when it
 * was spooled, and the PostgreSQL transaction that may already have committed it (or -1).
 *
 * <p>The transaction id is set when a commit failed without an answer (the connection broke during
 * COPY's commit): the batch may or may not be in the database, and replay asks PostgreSQL
 * ({@code txid_status}) before writing it again.
 */
record SpooledBatch(long spooledAtMillis, long uncertainXid, List<String> copyRows, List<RejectedLine> rejects) {

    int lines() {
        return copyRows.size() + rejects.size();
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + copyRows.size() * 512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(spooledAtMillis);
            out.writeLong(uncertainXid);
            out.writeInt(copyRows.size());
            for (String row : copyRows) {
                string(out, row);
            }
            out.writeInt(rejects.size());
            for (RejectedLine r : rejects) {
                out.writeLong(r.receivedAt().getEpochSecond());
                out.writeInt(r.receivedAt().getNano());
                string(out, r.sender());
                string(out, r.transport() == null ? null : r.transport().name());
                string(out, r.reason());
                string(out, r.raw());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    static SpooledBatch decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        long spooledAt = in.readLong();
        long xid = in.readLong();
        int rows = count(in, payload.length);
        List<String> copyRows = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            copyRows.add(string(in));
        }
        int rejectCount = count(in, payload.length);
        List<RejectedLine> rejects = new ArrayList<>(rejectCount);
        for (int i = 0; i < rejectCount; i++) {
            Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
            String sender = string(in);
            String transport = string(in);
            rejects.add(new RejectedLine(at, sender, transport == null ? null : Transport.valueOf(transport),
                    string(in), string(in)));
        }
        return new SpooledBatch(spooledAt, xid, copyRows, rejects);
    }

    private static int count(DataInputStream in, int payloadLength) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > payloadLength) {
            throw new IOException("bad count " + n);
        }
        return n;
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > in.available()) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = in.readNBytes(n);
        return new String(b, StandardCharsets.UTF_8);
    }
}
