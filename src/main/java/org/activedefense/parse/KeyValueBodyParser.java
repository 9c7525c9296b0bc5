package org.activedefense.parse;

import org.activedefense.parse.KeyAliases.Column;

/**
 * Splits a PAN-OS custom-format body ({@code SrcIP=…; DstIP=…;} or {@code src=…, dst=…}) into column
 * values, refusing lines in which one column is given two different values.
 *
 * <p>A pair ends where a {@code ;}, {@code ,} or whitespace is followed (after optional whitespace) by
 * {@code identifier=}; so values may hold spaces, commas and parentheses, and a missing separator
 * ({@code natsport=1 natdport=2}) still splits. The price is that an attacker who controls a value can
 * forge a pair ({@code user=x; SrcIP=8.8.8.8}); the forged value then collides with the real one and
 * the line is rejected rather than guessed at.
 */
final class KeyValueBodyParser {

    private static final Column[] COLUMNS = Column.values();

    private KeyValueBodyParser() {
    }

    /**
     * Returns the trimmed value of each mapped column, indexed by {@link Column#ordinal()}; null where
     * the line has no key for the column. The body must start with {@code identifier=}; a body without
     * any mapped key is rejected.
     */
    static String[] parse(String body, KeyAliases aliases) throws RejectedLineException {
        String[] values = new String[COLUMNS.length];
        int length = body.length();
        int keyStart = 0;
        int keyEnd = keyEnd(body, 0);
        if (keyEnd < 0) {
            throw new RejectedLineException("unrecognised body");
        }
        while (true) {
            int valueStart = keyEnd + 1;
            int valueEnd = length;
            int nextKeyStart = -1;
            int nextKeyEnd = -1;
            // Each '=' is a candidate pair start; String.indexOf skips the value text in between quickly.
            for (int equals = body.indexOf('=', valueStart); equals > 0; equals = body.indexOf('=', equals + 1)) {
                int boundary = boundaryBefore(body, valueStart, equals);
                if (boundary >= 0) {
                    valueEnd = boundary;
                    nextKeyStart = keyStartBefore(body, equals);
                    nextKeyEnd = equals;
                    break;
                }
            }
            Column column = aliases.columnOf(body, keyStart, keyEnd);
            if (column != null) {
                String value = value(body, valueStart, valueEnd, nextKeyStart < 0);
                String previous = values[column.ordinal()];
                if (previous == null) {
                    values[column.ordinal()] = value;
                } else if (!previous.equals(value)) {
                    throw new RejectedLineException("ambiguous: " + column.propertyName() + " given twice");
                }
            }
            if (nextKeyStart < 0) {
                break;
            }
            keyStart = nextKeyStart;
            keyEnd = nextKeyEnd;
        }
        for (String value : values) {
            if (value != null) {
                return values;
            }
        }
        // Storing a row with no column would hide a template/alias mismatch; a kept rejection shows it.
        throw new RejectedLineException("no known key in key=value body");
    }

    /**
     * When the {@code =} at {@code equals} ends a key that starts a new pair, returns the index of the
     * boundary that ends the previous value: the {@code ;} or {@code ,} before the key (blanks may sit
     * between), or else the first of the blanks before it. Returns -1 when the {@code =} is value text.
     * Only text at or after {@code valueStart} can hold the boundary.
     */
    private static int boundaryBefore(String body, int valueStart, int equals) {
        int keyStart = keyStartBefore(body, equals);
        if (keyStart == equals || !KeyAliases.isKeyStart(body.charAt(keyStart)) || keyStart - 1 < valueStart) {
            return -1;
        }
        int i = keyStart - 1;
        char before = body.charAt(i);
        if (before == ';' || before == ',') {
            return i;
        }
        if (!isSpace(before)) {
            return -1;
        }
        while (i - 1 >= valueStart && isSpace(body.charAt(i - 1))) {
            i--;
        }
        if (i - 1 >= valueStart && (body.charAt(i - 1) == ';' || body.charAt(i - 1) == ',')) {
            return i - 1;
        }
        return i;
    }

    /** Start of the run of key characters that ends just before {@code equals}. */
    private static int keyStartBefore(String body, int equals) {
        int i = equals;
        while (i > 0 && KeyAliases.isKeyPart(body.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** Index of the {@code =} ending an identifier that starts at {@code at}, or -1. */
    static int keyEnd(String body, int at) {
        int length = body.length();
        if (at >= length || !KeyAliases.isKeyStart(body.charAt(at))) {
            return -1;
        }
        int i = at + 1;
        while (i < length && KeyAliases.isKeyPart(body.charAt(i))) {
            i++;
        }
        return i < length && body.charAt(i) == '=' ? i : -1;
    }

    /** Trimmed value; the last one also loses the template's closing separator ({@code Type= THREAT;}). */
    private static String value(String body, int start, int end, boolean last) {
        int s = start;
        int e = end;
        while (s < e && isSpace(body.charAt(s))) {
            s++;
        }
        while (e > s && isSpace(body.charAt(e - 1))) {
            e--;
        }
        if (last && e > s && (body.charAt(e - 1) == ';' || body.charAt(e - 1) == ',')) {
            e--;
            while (e > s && isSpace(body.charAt(e - 1))) {
                e--;
            }
        }
        return body.substring(s, e);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\u000B';
    }
}
