package org.activedefense.parse;

/** Turns PAN-OS field text into typed column values, and quotes hostile text safely into reasons. */
final class FieldDecoder {

    /** Longest excerpt of offending text a rejection reason may carry. */
    static final int QUOTE_LIMIT = 40;

    /** {@link #port} result for a field that is absent or empty. */
    static final int ABSENT = -1;
    /** {@link #port} result for a field that is present but not a port number. */
    static final int INVALID = -2;

    /** Longest id PAN-OS writes is 10 digits; 18 keeps a {@code long} safe from overflow. */
    private static final int MAX_ID_DIGITS = 18;

    private FieldDecoder() {
    }

    /** The field as stored: empty or only blanks (PAN-OS pads some unused fields with a space) is null. */
    static String text(String field) {
        return field == null || field.isBlank() ? null : field;
    }

    /**
     * The canonical address in {@code field}, or null when absent. A present but invalid address
     * rejects the line when {@code strict} (TRAFFIC/THREAT: detection relies on it) and is dropped
     * otherwise.
     *
     * @param side "source" or "destination", for the rejection reason
     */
    static String address(String field, boolean strict, String side) throws RejectedLineException {
        if (field == null || field.isEmpty()) {
            return null;
        }
        String canonical = IpLiteral.canonical(field);
        if (canonical == null && strict) {
            throw new RejectedLineException("invalid " + side + " address: " + quote(field));
        }
        return canonical;
    }

    /** A count of seconds (1–10 decimal digits, at most {@link Integer#MAX_VALUE}), or null when absent or not one. */
    static Integer seconds(String field) {
        if (field == null || field.isEmpty() || field.length() > 10) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value <= Integer.MAX_VALUE ? (int) value : null;
    }

    /** As {@link #address}, for a port 0..65535. */
    static Integer port(String field, boolean strict, String side) throws RejectedLineException {
        int port = port(field);
        if (port == ABSENT) {
            return null;
        }
        if (port == INVALID) {
            if (strict) {
                throw new RejectedLineException("invalid " + side + " port: " + quote(field));
            }
            return null;
        }
        return port;
    }

    /** 0..65535 for 1–5 decimal digits, {@link #ABSENT} for null/empty, else {@link #INVALID}. */
    static int port(String field) {
        if (field == null || field.isEmpty()) {
            return ABSENT;
        }
        int length = field.length();
        if (length > 5) {
            return INVALID;
        }
        int value = 0;
        for (int i = 0; i < length; i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9') {
                return INVALID;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65535 ? value : INVALID;
    }

    /**
     * The numeric id of a threat field: {@code Name(id)} (id from the last parenthesised number at the
     * very end, since names hold parentheses themselves), {@code (id)}, or a bare number; else null.
     */
    static Long threatId(String field) {
        if (field == null || field.isEmpty()) {
            return null;
        }
        int end = field.length();
        int open = idOpen(field);
        if (open >= 0) {
            return digits(field, open + 1, end - 1);
        }
        return digits(field, 0, end);
    }

    /**
     * The name part of a threat field: text before a trailing {@code (id)}, trimmed; null when there is
     * none ({@code (9999)}) or the field is a bare number; the whole text when it has no id at all.
     */
    static String threatName(String field) {
        if (field == null || field.isEmpty()) {
            return null;
        }
        int open = idOpen(field);
        if (open >= 0) {
            String name = field.substring(0, open).strip();
            return name.isEmpty() ? null : name;
        }
        return digits(field, 0, field.length()) != null ? null : field;
    }

    /** Index of the {@code (} of a trailing {@code (digits)}, or -1. */
    private static int idOpen(String field) {
        int end = field.length();
        if (end < 3 || field.charAt(end - 1) != ')') {
            return -1;
        }
        int i = end - 2;
        while (i >= 0 && field.charAt(i) >= '0' && field.charAt(i) <= '9') {
            i--;
        }
        if (i < 0 || i == end - 2 || field.charAt(i) != '(' || end - 2 - i > MAX_ID_DIGITS) {
            return -1;
        }
        return i;
    }

    private static Long digits(String text, int start, int end) {
        if (end <= start || end - start > MAX_ID_DIGITS) {
            return null;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * {@code 'text'} cut to {@link #QUOTE_LIMIT} characters with control, format (bidi) and surrogate
     * characters replaced, so a reason can be logged and shown without letting the attacker forge log
     * lines, terminal escapes or reversed text.
     */
    static String quote(String text) {
        return quote(text, QUOTE_LIMIT);
    }

    /** As {@link #quote(String)} with another length limit. */
    static String quote(String text, int maxLength) {
        if (text == null) {
            return "''";
        }
        int limit = Math.min(text.length(), maxLength);
        StringBuilder quoted = new StringBuilder(limit + 3).append('\'');
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.isISOControl(c) || Character.isSurrogate(c)
                    || Character.getType(c) == Character.FORMAT;
            quoted.append(unsafe ? '?' : c);
        }
        if (text.length() > limit) {
            quoted.append('…');
        }
        return quoted.append('\'').toString();
    }
}
