package org.activedefense.ingest;

import java.time.Instant;

import org.activedefense.ingest.SyslogFrame.Transport;

/** A line kept in {@code rejected_line} with the reason it could not be stored as a log row. */
public record RejectedLine(Instant receivedAt, String sender, Transport transport, String reason, String raw) {
}
