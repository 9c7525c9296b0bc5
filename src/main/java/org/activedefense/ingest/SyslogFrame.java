package org.activedefense.ingest;

import java.time.Instant;

/**
 * One syslog message cut from the wire, with where and when it arrived.
 *
 * @param text         the message decoded as UTF-8 (malformed bytes become U+FFFD), or the start
 *                     of it when the frame was refused
 * @param sender       the peer's IP address as text
 * @param transport    how it arrived
 * @param receivedAt   when the service received it
 * @param refusal      why the framer refused the frame (e.g. oversized), or null for a good frame
 */
public record SyslogFrame(String text, String sender, Transport transport, Instant receivedAt, String refusal) {

    /** The listener a frame arrived on. */
    public enum Transport { UDP, TCP, TLS }

    static SyslogFrame accepted(String text, String sender, Transport transport) {
        return new SyslogFrame(text, sender, transport, Instant.now(), null);
    }

    static SyslogFrame refused(String start, String sender, Transport transport, String reason) {
        return new SyslogFrame(start, sender, transport, Instant.now(), reason);
    }
}
