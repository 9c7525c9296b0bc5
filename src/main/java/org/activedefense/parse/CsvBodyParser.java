package org.activedefense.parse;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.StringArrayHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.stream.IntStream;

/**
 * Maps a PAN-OS CSV body (the default syslog format, 8.1–11.x, plus older and Cortex Data Lake lines)
 * onto a {@link LogRecord} by field position, as documented in {@code FIELDS.md} §3–§5.
 */
final class CsvBodyParser {

    /** Read-only after construction; FastCSV builds a fresh parser from it per call. */
    private static final CsvReader.CsvReaderBuilder CSV = CsvReader.builder();
    /** Only used to count records, so differing field counts must not hide a second record. */
    private static final CsvReader.CsvReaderBuilder CSV_ANY_WIDTH =
            CsvReader.builder().allowExtraFields(true).allowMissingFields(true);

    // Positions shared by TRAFFIC and THREAT.
    /** Leading field, a number in the firewall layout; Cortex Data Lake starts with a time stamp instead. */
    private static final int FUTURE_USE = 0;
    private static final int TYPE = 3;
    private static final int SUBTYPE = 4;
    private static final int GENERATED_TIME = 6;
    private static final int SRC_IP = 7;
    private static final int DST_IP = 8;
    private static final int RULE_NAME = 11;
    private static final int SRC_USER = 12;
    private static final int APPLICATION = 14;
    private static final int SRC_ZONE = 16;
    private static final int DST_ZONE = 17;
    private static final int SRC_PORT = 24;
    private static final int DST_PORT = 25;
    private static final int PROTOCOL = 29;
    private static final int ACTION = 30;

    private static final int TRAFFIC_SRC_LOCATION = 41;
    private static final int TRAFFIC_DST_LOCATION = 42;
    private static final int TRAFFIC_RULE_UUID = 65;
    private static final int TRAFFIC_HIGH_RES_TIME = 102;

    private static final int THREAT_ID = 32;
    private static final int THREAT_SEVERITY = 34;
    private static final int THREAT_SRC_LOCATION = 38;
    private static final int THREAT_DST_LOCATION = 39;
    private static final int THREAT_RULE_UUID = 76;
    private static final int THREAT_HIGH_RES_TIME = 107;

    private static final int SYSTEM_EVENT_ID = 8;
    private static final int SYSTEM_OBJECT = 9;
    private static final int SYSTEM_SEVERITY = 13;
    private static final int SYSTEM_DESCRIPTION = 14;

    // GLOBALPROTECT, PAN-OS 9.1.3+ (FIELDS.md §5); the 9.1.0–9.1.2 layout is the same shifted by two.
    private static final int GLOBALPROTECT_EVENT_ID = 8;
    private static final int GLOBALPROTECT_STAGE = 9;
    private static final int GLOBALPROTECT_AUTH_METHOD = 10;
    private static final int GLOBALPROTECT_SRC_USER = 12;
    private static final int GLOBALPROTECT_SRC_REGION = 13;
    private static final int GLOBALPROTECT_PUBLIC_IP = 15;
    private static final int GLOBALPROTECT_PUBLIC_IPV6 = 16;
    private static final int GLOBALPROTECT_REASON = 25;
    private static final int GLOBALPROTECT_ERROR = 26;
    private static final int GLOBALPROTECT_DESCRIPTION = 27;
    private static final int GLOBALPROTECT_STATUS = 28;
    /** The portal's or gateway's name. */
    private static final int GLOBALPROTECT_PORTAL = 33;

    private static final int IPTAG_SRC_IP = 8;
    private static final int IPTAG_TAG_NAME = 9;
    private static final int IPTAG_EVENT_ID = 10;
    private static final int IPTAG_TIMEOUT = 12;
    private static final int IPTAG_DATA_SOURCE_NAME = 13;
    /** Pre-9.1.3 GlobalProtect lines carry two extra fields before the type ({@code …,11,0x0,GLOBALPROTECT,…}). */
    private static final int OLD_GLOBALPROTECT_SHIFT = 2;

    // Cortex Data Lake / Strata Logging Service: no leading FUTURE_USE field, own order after these.
    private static final int CORTEX_TYPE = 2;
    private static final int CORTEX_SUBTYPE = 3;
    private static final int CORTEX_GENERATED_TIME = 5;

    /**
     * A high-resolution time further than this from the generated time is a placeholder (PAN-OS and
     * Cortex write the epoch, e.g. {@code 1970-01-01T00:00:00.000000Z}, which is also refused on its
     * own), not a better clock. Two days covers any error of the configured device zone (UTC-12 to UTC+14).
     */
    private static final Duration HIGH_RES_TOLERANCE = Duration.ofHours(48);

    /** Every position read below; the collector builds Strings for these only. */
    private static final boolean[] READ = CsvFieldCollector.positions(IntStream.concat(IntStream.of(
            TYPE, SUBTYPE, GENERATED_TIME, SRC_IP, DST_IP, RULE_NAME, SRC_USER, APPLICATION, SRC_ZONE, DST_ZONE,
            SRC_PORT, DST_PORT, PROTOCOL, ACTION,
            TRAFFIC_SRC_LOCATION, TRAFFIC_DST_LOCATION, TRAFFIC_RULE_UUID, TRAFFIC_HIGH_RES_TIME,
            THREAT_ID, THREAT_SEVERITY, THREAT_SRC_LOCATION, THREAT_DST_LOCATION, THREAT_RULE_UUID,
            THREAT_HIGH_RES_TIME, SYSTEM_EVENT_ID, SYSTEM_OBJECT, SYSTEM_SEVERITY, SYSTEM_DESCRIPTION,
            IPTAG_SRC_IP, IPTAG_TAG_NAME, IPTAG_EVENT_ID, IPTAG_TIMEOUT, IPTAG_DATA_SOURCE_NAME,
            TYPE + OLD_GLOBALPROTECT_SHIFT, SUBTYPE + OLD_GLOBALPROTECT_SHIFT, GENERATED_TIME + OLD_GLOBALPROTECT_SHIFT,
            FUTURE_USE, CORTEX_TYPE, CORTEX_SUBTYPE, CORTEX_GENERATED_TIME),
            // GLOBALPROTECT positions in both layouts
            IntStream.of(GLOBALPROTECT_EVENT_ID, GLOBALPROTECT_STAGE, GLOBALPROTECT_AUTH_METHOD, GLOBALPROTECT_SRC_USER,
                    GLOBALPROTECT_SRC_REGION, GLOBALPROTECT_PUBLIC_IP, GLOBALPROTECT_PUBLIC_IPV6, GLOBALPROTECT_REASON,
                    GLOBALPROTECT_ERROR, GLOBALPROTECT_DESCRIPTION, GLOBALPROTECT_STATUS, GLOBALPROTECT_PORTAL)
                    .flatMap(p -> IntStream.of(p, p + OLD_GLOBALPROTECT_SHIFT))).toArray());

    private static final int MAX_TYPE_LENGTH = 32;
    private static final int LIBRARY_MESSAGE_LIMIT = 100;

    private CsvBodyParser() {
    }

    /** Fills {@code record} from {@code body}, which starts with {@code digits,} or {@code ISO-time,}. */
    static void parse(String body, LogRecord record, ZoneId zone) throws RejectedLineException {
        CsvFieldCollector fields = split(body);
        if (isNumber(fields.field(FUTURE_USE))) {
            firewall(fields, record, zone);
        } else {
            cortex(fields, record, zone);
        }
    }

    private static CsvFieldCollector split(String body) throws RejectedLineException {
        try {
            if (body.indexOf('\n') >= 0 || body.indexOf('\r') >= 0) {
                requireSingleRecord(body);
            }
            return CSV.ofSingleCsvRecord(new CsvFieldCollector(READ), body);
        } catch (CsvParseException | UncheckedIOException e) {
            // FastCSV's message names the problem and at most one offending character.
            String message = FieldDecoder.quote(rootMessage(e), LIBRARY_MESSAGE_LIMIT);
            throw new RejectedLineException("malformed CSV: " + message);
        }
    }

    /**
     * FastCSV would silently drop whatever follows an unquoted line break; a second record smuggled
     * into one datagram must not vanish, so such a line is refused as a whole.
     */
    private static void requireSingleRecord(String body) throws RejectedLineException {
        try (CsvReader<String[]> reader = CSV_ANY_WIDTH.build(StringArrayHandler.of(), body)) {
            Iterator<String[]> records = reader.iterator();
            if (records.hasNext()) {
                records.next();
            }
            if (records.hasNext()) {
                throw new RejectedLineException("line break outside a quoted CSV field");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }

    private static void firewall(CsvFieldCollector fields, LogRecord record, ZoneId zone) throws RejectedLineException {
        int shift = 0;
        String type = fields.field(TYPE);
        if (!isLogType(type) && "GLOBALPROTECT".equals(fields.field(TYPE + OLD_GLOBALPROTECT_SHIFT))) {
            shift = OLD_GLOBALPROTECT_SHIFT;
            type = fields.field(TYPE + shift);
        }
        if (!isLogType(type)) {
            throw new RejectedLineException("unrecognised log type: " + FieldDecoder.quote(type));
        }
        record.logType = type;
        record.subtype = fields.field(SUBTYPE + shift);
        record.generatedAt = TimestampParser.parse(fields.field(GENERATED_TIME + shift), zone);
        switch (type) {
            case "TRAFFIC" -> trafficOrThreat(fields, record, zone, true);
            case "THREAT" -> trafficOrThreat(fields, record, zone, false);
            case "SYSTEM" -> system(fields, record);
            case "GLOBALPROTECT" -> globalProtect(fields, record, shift);
            case "IPTAG" -> ipTag(fields, record);
            default -> {
                // Stored with type, subtype, time, device and raw line; positions differ per type.
            }
        }
    }

    private static void trafficOrThreat(CsvFieldCollector fields, LogRecord record, ZoneId zone, boolean traffic)
            throws RejectedLineException {
        if (fields.count() <= ACTION) {
            throw new RejectedLineException("truncated " + record.logType + " record: " + fields.count() + " fields");
        }
        record.srcIp = FieldDecoder.address(fields.field(SRC_IP), true, "source");
        record.dstIp = FieldDecoder.address(fields.field(DST_IP), true, "destination");
        record.srcPort = FieldDecoder.port(fields.field(SRC_PORT), true, "source");
        record.dstPort = FieldDecoder.port(fields.field(DST_PORT), true, "destination");
        record.ruleName = fields.field(RULE_NAME);
        record.srcUser = fields.field(SRC_USER);
        record.application = fields.field(APPLICATION);
        record.srcZone = fields.field(SRC_ZONE);
        record.dstZone = fields.field(DST_ZONE);
        record.protocol = fields.field(PROTOCOL);
        record.action = fields.field(ACTION);
        String highResTime;
        if (traffic) {
            record.srcLocation = fields.field(TRAFFIC_SRC_LOCATION);
            record.dstLocation = fields.field(TRAFFIC_DST_LOCATION);
            record.ruleUuid = fields.field(TRAFFIC_RULE_UUID);
            highResTime = fields.field(TRAFFIC_HIGH_RES_TIME);
        } else {
            String threat = fields.field(THREAT_ID);
            record.threatName = FieldDecoder.threatName(threat);
            record.threatId = FieldDecoder.threatId(threat);
            record.severity = fields.field(THREAT_SEVERITY);
            record.srcLocation = fields.field(THREAT_SRC_LOCATION);
            record.dstLocation = fields.field(THREAT_DST_LOCATION);
            record.ruleUuid = fields.field(THREAT_RULE_UUID);
            highResTime = fields.field(THREAT_HIGH_RES_TIME);
        }
        // The high-resolution time carries its own offset, so it beats a local time read in a
        // configured (possibly wrong) zone, unless it is a placeholder far from the generated time.
        Instant precise = TimestampParser.parseIso(highResTime, zone);
        if (precise != null && !precise.equals(Instant.EPOCH) && (record.generatedAt == null
                || Duration.between(record.generatedAt, precise).abs().compareTo(HIGH_RES_TOLERANCE) <= 0)) {
            record.generatedAt = precise;
        }
    }

    private static void system(CsvFieldCollector fields, LogRecord record) {
        record.eventId = FieldDecoder.text(fields.field(SYSTEM_EVENT_ID));
        record.object = FieldDecoder.text(fields.field(SYSTEM_OBJECT));
        record.severity = fields.field(SYSTEM_SEVERITY);
        record.description = FieldDecoder.text(fields.field(SYSTEM_DESCRIPTION));
        if ("globalprotect".equals(record.subtype)) {
            GlobalProtectSystemEvent.read(record);
        }
    }

    /**
     * GLOBALPROTECT (PAN-OS 9.1+): the public address is the client's, as the firewall saw it, so it
     * is the row's source; an address present but malformed rejects the line, since authentication
     * events feed detection. {@code 0.0.0.0} stands for "no IPv4 address" (the client came over IPv6).
     */
    private static void globalProtect(CsvFieldCollector fields, LogRecord record, int shift)
            throws RejectedLineException {
        record.eventId = FieldDecoder.text(fields.field(GLOBALPROTECT_EVENT_ID + shift));
        record.stage = FieldDecoder.text(fields.field(GLOBALPROTECT_STAGE + shift));
        record.authMethod = FieldDecoder.text(fields.field(GLOBALPROTECT_AUTH_METHOD + shift));
        record.srcUser = FieldDecoder.text(fields.field(GLOBALPROTECT_SRC_USER + shift));
        record.srcLocation = FieldDecoder.text(fields.field(GLOBALPROTECT_SRC_REGION + shift));
        String v4 = FieldDecoder.address(fields.field(GLOBALPROTECT_PUBLIC_IP + shift), true, "public");
        String v6 = FieldDecoder.address(fields.field(GLOBALPROTECT_PUBLIC_IPV6 + shift), true, "public IPv6");
        record.srcIp = v4 != null && !v4.equals("0.0.0.0") ? v4 : v6 != null && !v6.equals("::") ? v6 : null;
        String reason = FieldDecoder.text(fields.field(GLOBALPROTECT_REASON + shift));
        record.reason = reason != null ? reason : FieldDecoder.text(fields.field(GLOBALPROTECT_ERROR + shift));
        record.description = FieldDecoder.text(fields.field(GLOBALPROTECT_DESCRIPTION + shift));
        record.status = FieldDecoder.text(fields.field(GLOBALPROTECT_STATUS + shift));
        record.object = FieldDecoder.text(fields.field(GLOBALPROTECT_PORTAL + shift));
    }

    /** IPTAG: an address registered to or removed from a tag (by the XML API, a User-ID agent, ...). */
    private static void ipTag(CsvFieldCollector fields, LogRecord record) {
        record.srcIp = IpLiteral.canonical(fields.field(IPTAG_SRC_IP));
        record.tagName = FieldDecoder.text(fields.field(IPTAG_TAG_NAME));
        record.eventId = FieldDecoder.text(fields.field(IPTAG_EVENT_ID));
        record.timeoutSeconds = FieldDecoder.seconds(fields.field(IPTAG_TIMEOUT));
        record.object = FieldDecoder.text(fields.field(IPTAG_DATA_SOURCE_NAME));
    }

    /**
     * Cortex Data Lake / Strata lines have no field table here, so only type, subtype and time are
     * taken, and only when they look like what they should be; firewall positions are never applied.
     */
    private static void cortex(CsvFieldCollector fields, LogRecord record, ZoneId zone) {
        String type = fields.field(CORTEX_TYPE);
        if (isLogType(type)) {
            record.logType = type;
            record.subtype = fields.field(CORTEX_SUBTYPE);
            record.generatedAt = TimestampParser.parseIso(fields.field(CORTEX_GENERATED_TIME), zone);
        }
    }

    /** PAN-OS log types are upper-case words: TRAFFIC, THREAT, GLOBALPROTECT, IPTAG, … */
    private static boolean isLogType(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TYPE_LENGTH
                || text.charAt(0) < 'A' || text.charAt(0) > 'Z') {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
