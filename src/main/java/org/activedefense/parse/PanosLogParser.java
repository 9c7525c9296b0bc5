package org.activedefense.parse;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import org.activedefense.parse.KeyAliases.Column;

/**
 * Turns one framed PAN-OS syslog line into a {@link LogRecord}, or rejects it with a reason.
 *
 * <p>The body after the syslog header is PAN-OS's default CSV (recognised by {@code digits,}, or an
 * ISO time stamp and a comma for Cortex Data Lake) or a custom key=value format (recognised by
 * {@code key=}). Every field is attacker-controlled: text is stored verbatim as data, addresses and
 * ports only when they parse, and TRAFFIC/THREAT lines with a malformed address or port are rejected
 * because detection depends on them. Immutable and thread-safe.
 */
public final class PanosLogParser {

    private final KeyAliases aliases;
    private final DeviceTimeZones zones;
    private final boolean keepRaw;
    private final SyslogHeaderParser headerParser = new SyslogHeaderParser();

    public PanosLogParser(KeyAliases aliases, DeviceTimeZones zones, boolean keepRaw) {
        this.aliases = Objects.requireNonNull(aliases, "aliases");
        this.zones = Objects.requireNonNull(zones, "zones");
        this.keepRaw = keepRaw;
    }

    /**
     * Parses {@code line} (one syslog message, framing already removed).
     *
     * @param sender     address of the peer that sent the line; the device when the header names none
     * @param receivedAt when the line arrived
     * @throws RejectedLineException with the reason to keep beside the line
     */
    public LogRecord parse(String line, String sender, Instant receivedAt) throws RejectedLineException {
        if (line == null || line.isBlank()) {
            throw new RejectedLineException("empty line");
        }
        if (line.indexOf('\0') >= 0) {
            throw new RejectedLineException("NUL character in line");
        }
        SyslogMessage message = headerParser.parse(withoutTrailingLineBreaks(line));
        String body = message.body();
        if (body.isBlank()) {
            throw new RejectedLineException("no body after header");
        }
        LogRecord record = new LogRecord();
        record.receivedAt = receivedAt;
        record.sender = sender;
        record.device = message.host() != null ? message.host() : sender;
        record.raw = keepRaw ? line : null;
        ZoneId zone = zones.zoneOf(record.device);
        if (isCsv(body)) {
            record.format = LogRecord.Format.CSV;
            CsvBodyParser.parse(body, record, zone);
        } else if (KeyValueBodyParser.keyEnd(body, 0) > 0) {
            record.format = LogRecord.Format.KV;
            keyValue(body, record, zone);
        } else {
            throw new RejectedLineException("unrecognised body");
        }
        return record;
    }

    private void keyValue(String body, LogRecord record, ZoneId zone) throws RejectedLineException {
        String[] values = KeyValueBodyParser.parse(body, aliases);
        record.logType = value(values, Column.LOG_TYPE);
        record.subtype = value(values, Column.SUBTYPE);
        // Only TRAFFIC and THREAT feed detection; other types keep what parses and drop the rest.
        boolean strict = "TRAFFIC".equalsIgnoreCase(record.logType) || "THREAT".equalsIgnoreCase(record.logType);
        record.srcIp = FieldDecoder.address(value(values, Column.SRC_IP), strict, "source");
        record.dstIp = FieldDecoder.address(value(values, Column.DST_IP), strict, "destination");
        record.srcPort = FieldDecoder.port(value(values, Column.SRC_PORT), strict, "source");
        record.dstPort = FieldDecoder.port(value(values, Column.DST_PORT), strict, "destination");
        record.srcLocation = value(values, Column.SRC_LOCATION);
        record.dstLocation = value(values, Column.DST_LOCATION);
        record.srcUser = value(values, Column.SRC_USER);
        record.srcZone = value(values, Column.SRC_ZONE);
        record.dstZone = value(values, Column.DST_ZONE);
        record.ruleName = value(values, Column.RULE_NAME);
        record.ruleUuid = value(values, Column.RULE_UUID);
        record.action = value(values, Column.ACTION);
        record.protocol = value(values, Column.PROTOCOL);
        record.application = value(values, Column.APPLICATION);
        record.severity = value(values, Column.SEVERITY);
        String threatId = value(values, Column.THREAT_ID);
        record.threatId = FieldDecoder.threatId(threatId);
        String threatName = value(values, Column.THREAT_NAME);
        record.threatName = threatName != null ? threatName : FieldDecoder.threatName(threatId);
        record.generatedAt = TimestampParser.parse(value(values, Column.GENERATED_TIME), zone);
    }

    private static String value(String[] values, Column column) {
        return FieldDecoder.text(values[column.ordinal()]);
    }

    /** {@code digits,} (firewall CSV) or {@code yyyy-mm-ddThh:mm:ss…,} (Cortex Data Lake CSV). */
    private static boolean isCsv(String body) {
        char first = body.charAt(0);
        return first >= '0' && first <= '9' && SyslogHeaderParser.looksLikeBody(body, 0);
    }

    /** Framers may leave the CR of CRLF or a datagram's trailing newline; neither is part of the body. */
    private static String withoutTrailingLineBreaks(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return end == line.length() ? line : line.substring(0, end);
    }
}
