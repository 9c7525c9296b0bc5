package org.activedefense.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Reads the two time stamp spellings PAN-OS writes, by hand because this runs for every line. */
final class TimestampParser {

    private TimestampParser() {
    }

    /**
     * Parses {@code yyyy/MM/dd HH:mm:ss} (local to the device, hence {@code zone}) or ISO-8601
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction][Z|±hh:mm]} (a missing offset again means {@code zone}).
     * Returns null for anything else, including impossible dates such as {@code 2020/00/00}.
     */
    static Instant parse(String text, ZoneId zone) {
        if (text == null || text.length() < 19) {
            return null;
        }
        char dateSeparator = text.charAt(4);
        if (dateSeparator == '/') {
            return text.length() == 19 && text.charAt(10) == ' ' ? local(text, '/', zone) : null;
        }
        if (dateSeparator == '-' && (text.charAt(10) == 'T' || text.charAt(10) == 't')) {
            return iso(text, zone);
        }
        return null;
    }

    /** Parses only the ISO-8601 form; used where a field is documented as the high-resolution time. */
    static Instant parseIso(String text, ZoneId zone) {
        if (text == null || text.length() < 19 || text.charAt(4) != '-'
                || (text.charAt(10) != 'T' && text.charAt(10) != 't')) {
            return null;
        }
        return iso(text, zone);
    }

    private static Instant local(String text, char dateSeparator, ZoneId zone) {
        LocalDateTime dateTime = dateTime(text, dateSeparator, 0);
        return dateTime == null ? null : dateTime.atZone(zone).toInstant();
    }

    private static Instant iso(String text, ZoneId zone) {
        int nanos = 0;
        int i = 19;
        int length = text.length();
        if (i < length && text.charAt(i) == '.') {
            i++;
            int digits = 0;
            while (i < length && isDigit(text.charAt(i))) {
                if (digits < 9) {
                    nanos = nanos * 10 + (text.charAt(i) - '0');
                }
                digits++;
                i++;
            }
            if (digits == 0 || digits > 9) {
                return null;
            }
            for (int pad = digits; pad < 9; pad++) {
                nanos *= 10;
            }
        }
        LocalDateTime dateTime = dateTime(text, '-', nanos);
        if (dateTime == null) {
            return null;
        }
        if (i == length) {
            return dateTime.atZone(zone).toInstant();
        }
        char sign = text.charAt(i);
        if ((sign == 'Z' || sign == 'z') && i + 1 == length) {
            return dateTime.toInstant(ZoneOffset.UTC);
        }
        if (sign != '+' && sign != '-') {
            return null;
        }
        int rest = length - i - 1;
        int hours;
        int minutes;
        if (rest == 5 && text.charAt(i + 3) == ':') {
            hours = twoDigits(text, i + 1);
            minutes = twoDigits(text, i + 4);
        } else if (rest == 4) {
            hours = twoDigits(text, i + 1);
            minutes = twoDigits(text, i + 3);
        } else {
            return null;
        }
        if (hours < 0 || minutes < 0) {
            return null;
        }
        try {
            int direction = sign == '-' ? -1 : 1;
            ZoneOffset offset = ZoneOffset.ofHoursMinutes(direction * hours, direction * minutes);
            return dateTime.toInstant(offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Positions 0..18: year, month, day, hour, minute, second with fixed separators. */
    private static LocalDateTime dateTime(String text, char dateSeparator, int nanos) {
        if (text.charAt(7) != dateSeparator || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = twoDigits(text, 0);
        int yearLow = twoDigits(text, 2);
        int month = twoDigits(text, 5);
        int day = twoDigits(text, 8);
        int hour = twoDigits(text, 11);
        int minute = twoDigits(text, 14);
        int second = twoDigits(text, 17);
        if ((year | yearLow | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year * 100 + yearLow, month, day, hour, minute, second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int twoDigits(String text, int at) {
        char high = text.charAt(at);
        char low = text.charAt(at + 1);
        if (!isDigit(high) || !isDigit(low)) {
            return -1;
        }
        return (high - '0') * 10 + (low - '0');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
