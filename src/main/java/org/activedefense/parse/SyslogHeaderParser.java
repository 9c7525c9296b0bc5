package org.activedefense.parse;

/**
 * Strips the syslog header(s) off a framed line: RFC 3164 (with or without PRI, host, TAG), RFC 5424,
 * ISO-timestamp "RFC 3339 BSD" headers, relays stacking a second header, and headerless lines.
 *
 * <p>Stateless and thread-safe; a hand scan rather than a regular expression because it runs for every
 * line. RFC 3164 has no field that says whether a host is present, so a token after the time stamp is
 * taken as the host unless it already looks like a PAN-OS body ({@code digits,} for CSV, {@code key=}
 * for key=value, or an ISO time stamp followed by a comma for Cortex Data Lake CSV) or a TAG
 * ({@code root:}, {@code app[123]:}, or a nil {@code -}).
 */
public final class SyslogHeaderParser {

    /** RFC 5424's HOSTNAME limit; a longer token is not a host name, and the line is rejected. */
    public static final int MAX_HOST_LENGTH = 255;

    /** A relay adds one header; more than a few nested headers is not syslog but an attack on our loop. */
    private static final int MAX_HEADERS = 4;

    /** Facility 23 (local7) times 8 plus severity 7: the largest PRI RFC 3164 and RFC 5424 allow. */
    private static final int MAX_PRI = 191;

    private static final int MAX_TAG_NAME = 48;
    private static final int MAX_TAG_PID = 32;

    /** Splits {@code line}; rejects only a header that is broken beyond doubt (over-long host, bad SD). */
    public SyslogMessage parse(String line) throws RejectedLineException {
        int length = line.length();
        int pos = 0;
        if (length > 0 && line.charAt(0) == '\uFEFF') {
            pos = 1;
        }
        pos = skipOctetCount(line, pos);
        String host = null;
        for (int depth = 0; depth < MAX_HEADERS; depth++) {
            int start = skipSpaces(line, pos);
            int afterPri = skipPri(line, start);
            boolean hasPri = afterPri > start;
            if (hasPri && isRfc5424Version(line, afterPri)) {
                Rfc5424Header header = rfc5424(line, afterPri);
                if (header.host != null) {
                    host = header.host;
                }
                pos = header.bodyStart;
                continue;
            }
            int timestampStart = skipSpaces(line, afterPri);
            int afterTimestamp = rfc3164Timestamp(line, timestampStart);
            if (afterTimestamp < 0) {
                afterTimestamp = isoTimestamp(line, timestampStart, true);
            }
            if (afterTimestamp < 0) {
                // A bare <PRI> (as some relays send) or no header at all: the body starts here.
                pos = hasPri ? timestampStart : start;
                break;
            }
            int tokenStart = skipSpaces(line, afterTimestamp);
            if (tokenStart >= length || startsHeader(line, tokenStart)) {
                pos = tokenStart;
                continue;
            }
            if (looksLikeBody(line, tokenStart)) {
                pos = tokenStart;
                break;
            }
            int tagEnd = tagEnd(line, tokenStart);
            if (tagEnd > 0) {
                pos = skipSpaces(line, tagEnd);
                break;
            }
            int tokenEnd = tokenEnd(line, tokenStart);
            host = host(line, tokenStart, tokenEnd);
            int next = skipSpaces(line, tokenEnd);
            tagEnd = next < length && !looksLikeBody(line, next) ? tagEnd(line, next) : -1;
            if (tagEnd > 0) {
                pos = skipSpaces(line, tagEnd);
                break;
            }
            pos = next;
        }
        pos = skipSpaces(line, pos);
        return new SyslogMessage(host, pos == 0 ? line : line.substring(pos));
    }

    /** True when a PAN-OS body begins at {@code at}: {@code digits,}, {@code key=} or {@code ISO-time,}. */
    static boolean looksLikeBody(String line, int at) {
        int length = line.length();
        if (at >= length) {
            return false;
        }
        char first = line.charAt(at);
        if (isDigit(first)) {
            int i = at;
            while (i < length && isDigit(line.charAt(i))) {
                i++;
            }
            if (i < length && line.charAt(i) == ',') {
                return true;
            }
            int afterIso = isoTimestamp(line, at, false);
            return afterIso > 0 && afterIso < length && line.charAt(afterIso) == ',';
        }
        if (KeyAliases.isKeyStart(first)) {
            int i = at + 1;
            while (i < length && KeyAliases.isKeyPart(line.charAt(i))) {
                i++;
            }
            return i < length && line.charAt(i) == '=';
        }
        return false;
    }

    private static boolean startsHeader(String line, int at) {
        int afterPri = skipPri(line, at);
        if (afterPri > at) {
            return true;
        }
        return rfc3164Timestamp(line, at) > 0 || isoTimestamp(line, at, true) > 0;
    }

    /** RFC 6587 octet counting left in front of a line ({@code 535 <14>1 …}): the count is not trusted. */
    private static int skipOctetCount(String line, int at) {
        int i = at;
        int length = line.length();
        while (i < length && i - at < 10 && isDigit(line.charAt(i))) {
            i++;
        }
        if (i > at && i + 1 < length && line.charAt(i) == ' ' && line.charAt(i + 1) == '<') {
            return i + 1;
        }
        return at;
    }

    /** {@code <n>}, 1–3 digits up to {@value #MAX_PRI}; returns the index after {@code >}, or {@code at}. */
    private static int skipPri(String line, int at) {
        int length = line.length();
        if (at >= length || line.charAt(at) != '<') {
            return at;
        }
        int i = at + 1;
        while (i < length && i - at <= 3 && isDigit(line.charAt(i))) {
            i++;
        }
        int digits = i - at - 1;
        if (digits < 1 || digits > 3 || i >= length || line.charAt(i) != '>'
                || Integer.parseInt(line, at + 1, i, 10) > MAX_PRI) {
            return at;
        }
        return i + 1;
    }

    /** RFC 5424 VERSION right after PRI: 1–2 digits, a space, then a time stamp or the nil value. */
    private static boolean isRfc5424Version(String line, int at) {
        int length = line.length();
        int i = at;
        while (i < length && i - at < 3 && isDigit(line.charAt(i))) {
            i++;
        }
        int digits = i - at;
        if (digits < 1 || digits > 2 || line.charAt(at) == '0' || i + 1 >= length || line.charAt(i) != ' ') {
            return false;
        }
        char next = line.charAt(i + 1);
        return isDigit(next) || next == '-';
    }

    private static final class Rfc5424Header {
        final String host;
        final int bodyStart;

        Rfc5424Header(String host, int bodyStart) {
            this.host = host;
            this.bodyStart = bodyStart;
        }
    }

    /** {@code VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP [BOM] MSG]}. */
    private static Rfc5424Header rfc5424(String line, int at) throws RejectedLineException {
        int length = line.length();
        int i = tokenEnd(line, at);
        String host = null;
        // TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID: single spaces between, '-' is nil.
        for (int field = 0; field < 5; field++) {
            if (i >= length) {
                return new Rfc5424Header(host, length);
            }
            int fieldStart = i + 1;
            int fieldEnd = tokenEnd(line, fieldStart);
            if (field == 1 && !(fieldEnd - fieldStart == 1 && line.charAt(fieldStart) == '-')) {
                host = fieldEnd > fieldStart ? host(line, fieldStart, fieldEnd) : null;
            }
            i = fieldEnd;
        }
        if (i >= length) {
            return new Rfc5424Header(host, length);
        }
        int sdStart = i + 1;
        int sdEnd = structuredDataEnd(line, sdStart);
        if (sdEnd < length && line.charAt(sdEnd) != ' ') {
            throw new RejectedLineException("malformed RFC 5424 structured data");
        }
        int msgStart = skipSpaces(line, sdEnd);
        if (msgStart < length && line.charAt(msgStart) == '\uFEFF') {
            msgStart++;
        }
        return new Rfc5424Header(host, msgStart);
    }

    /** End of {@code -} or of one or more {@code [id param="value"…]} elements; {@code \"}, {@code \]} escape. */
    private static int structuredDataEnd(String line, int at) throws RejectedLineException {
        int length = line.length();
        if (at >= length) {
            return at;
        }
        if (line.charAt(at) == '-') {
            return at + 1;
        }
        int i = at;
        while (i < length && line.charAt(i) == '[') {
            i++;
            boolean quoted = false;
            boolean closed = false;
            while (i < length) {
                char c = line.charAt(i++);
                if (quoted) {
                    if (c == '\\' && i < length) {
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ']') {
                    closed = true;
                    break;
                }
            }
            if (!closed) {
                throw new RejectedLineException("malformed RFC 5424 structured data");
            }
        }
        if (i == at) {
            throw new RejectedLineException("malformed RFC 5424 structured data");
        }
        return i;
    }

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * {@code Mmm d hh:mm:ss}, {@code Mmm  d …}, {@code Mmm dd …}, optionally a year before the time and
     * a fraction after it; must be followed by a space or the end. Returns the index after it, or -1.
     */
    static int rfc3164Timestamp(String line, int at) {
        int length = line.length();
        if (at + 14 > length || !isMonth(line, at) || line.charAt(at + 3) != ' ') {
            return -1;
        }
        int i = at + 4;
        if (line.charAt(i) == ' ') {
            i++;
        }
        int dayStart = i;
        while (i < length && i - dayStart < 3 && isDigit(line.charAt(i))) {
            i++;
        }
        if (i - dayStart < 1 || i - dayStart > 2 || i >= length || line.charAt(i) != ' ') {
            return -1;
        }
        i++;
        if (i + 5 <= length && isDigits(line, i, 4) && line.charAt(i + 4) == ' ') {
            i += 5;
        }
        if (i + 8 > length || !isDigits(line, i, 2) || line.charAt(i + 2) != ':' || !isDigits(line, i + 3, 2)
                || line.charAt(i + 5) != ':' || !isDigits(line, i + 6, 2)) {
            return -1;
        }
        i += 8;
        i = skipFraction(line, i);
        return i == length || line.charAt(i) == ' ' ? i : -1;
    }

    /**
     * {@code yyyy-mm-ddThh:mm:ss[.f][Z|±hh:mm]}. With {@code needSpace} it must be followed by a space or
     * the end (a header); without, the caller checks what follows. Returns the index after it, or -1.
     */
    static int isoTimestamp(String line, int at, boolean needSpace) {
        int length = line.length();
        if (at + 19 > length || !isDigits(line, at, 4) || line.charAt(at + 4) != '-' || !isDigits(line, at + 5, 2)
                || line.charAt(at + 7) != '-' || !isDigits(line, at + 8, 2)
                || (line.charAt(at + 10) != 'T' && line.charAt(at + 10) != 't')
                || !isDigits(line, at + 11, 2) || line.charAt(at + 13) != ':' || !isDigits(line, at + 14, 2)
                || line.charAt(at + 16) != ':' || !isDigits(line, at + 17, 2)) {
            return -1;
        }
        int i = skipFraction(line, at + 19);
        if (i < length) {
            char c = line.charAt(i);
            if (c == 'Z' || c == 'z') {
                i++;
            } else if ((c == '+' || c == '-') && i + 6 <= length && isDigits(line, i + 1, 2)
                    && line.charAt(i + 3) == ':' && isDigits(line, i + 4, 2)) {
                i += 6;
            }
        }
        if (needSpace && i < length && line.charAt(i) != ' ') {
            return -1;
        }
        return i;
    }

    /**
     * A TAG such as {@code root:} or {@code app[123]:}, or a lone {@code -} (a nil TAG some forwarders
     * write), followed by a space or the end; returns the index after it, -1 when not a TAG.
     */
    private static int tagEnd(String line, int at) {
        int length = line.length();
        if (line.charAt(at) == '-' && (at + 1 == length || line.charAt(at + 1) == ' ')) {
            return at + 1;
        }
        int i = at;
        while (i < length && i - at <= MAX_TAG_NAME && isTagChar(line.charAt(i))) {
            i++;
        }
        if (i == at || i - at > MAX_TAG_NAME || i >= length) {
            return -1;
        }
        if (line.charAt(i) == '[') {
            int pidStart = ++i;
            while (i < length && i - pidStart <= MAX_TAG_PID && line.charAt(i) != ']' && line.charAt(i) != ' ') {
                i++;
            }
            if (i >= length || line.charAt(i) != ']' || i == pidStart || i - pidStart > MAX_TAG_PID) {
                return -1;
            }
            i++;
        }
        if (i >= length || line.charAt(i) != ':') {
            return -1;
        }
        i++;
        return i == length || line.charAt(i) == ' ' ? i : -1;
    }

    private static boolean isTagChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c)
                || c == '_' || c == '-' || c == '.' || c == '/';
    }

    private static String host(String line, int start, int end) throws RejectedLineException {
        if (end - start > MAX_HOST_LENGTH) {
            throw new RejectedLineException("host name longer than " + MAX_HOST_LENGTH + " characters");
        }
        for (int i = start; i < end; i++) {
            if (line.charAt(i) == '\0') {
                throw new RejectedLineException("NUL character in host name");
            }
        }
        return line.substring(start, end);
    }

    private static boolean isMonth(String line, int at) {
        for (int m = 0; m < MONTHS.length(); m += 3) {
            if (line.charAt(at) == MONTHS.charAt(m) && line.charAt(at + 1) == MONTHS.charAt(m + 1)
                    && line.charAt(at + 2) == MONTHS.charAt(m + 2)) {
                return true;
            }
        }
        return false;
    }

    private static int skipFraction(String line, int at) {
        int length = line.length();
        if (at < length && line.charAt(at) == '.') {
            int i = at + 1;
            while (i < length && i - at <= 9 && isDigit(line.charAt(i))) {
                i++;
            }
            if (i > at + 1) {
                return i;
            }
        }
        return at;
    }

    private static int tokenEnd(String line, int at) {
        int end = line.indexOf(' ', at);
        return end < 0 ? line.length() : end;
    }

    private static int skipSpaces(String line, int at) {
        int i = at;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static boolean isDigits(String line, int at, int count) {
        for (int i = at; i < at + count; i++) {
            if (!isDigit(line.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
