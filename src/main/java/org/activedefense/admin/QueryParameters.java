package org.activedefense.admin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.activedefense.policy.AddressPolicy;
import org.apache.camel.Message;

/**
 * Reads one query parameter of an API request (platform-http puts them in headers) and says which
 * one is wrong when it cannot be used. A parameter given twice is refused rather than guessed.
 */
final class QueryParameters {

    static final int MAX_TEXT = 256;

    private QueryParameters() {
    }

    /** The parameter's text, or null when it is missing or empty. */
    static String text(Message message, String name) {
        Object value = message.getHeader(name);
        if (value instanceof List<?> list) {
            throw new FieldException(name, name + " is given more than once");
        }
        if (value == null) {
            return null;
        }
        String text = value.toString();
        if (text.isEmpty()) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw new FieldException(name, name + " is longer than " + MAX_TEXT + " characters");
        }
        return text;
    }

    static Integer integer(Message message, String name, int min, int max) {
        String text = text(message, name);
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new FieldException(name, name + " must be a whole number from " + min + " to " + max);
    }

    /** A numeric id from the path, e.g. {@code /api/allowlist/{id}}. */
    static long id(Message message, String what) {
        try {
            return Long.parseLong(message.getHeader("id", String.class));
        } catch (NumberFormatException e) {
            throw new FieldException("id", "the id of " + what + " is a number");
        }
    }

    static Instant instant(Message message, String name) {
        String text = text(message, name);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new FieldException(name, name + " must be an ISO-8601 time with an offset, e.g. 2026-11-22T10:00:00Z");
        }
    }

    /** An address or CIDR in canonical form. */
    static String network(String name, String text) {
        try {
            return AddressPolicy.canonicalNetwork(text.trim());
        } catch (IllegalArgumentException e) {
            throw new FieldException(name, name + " must be an IP address or a CIDR such as 192.0.2.0/24");
        }
    }

    /** Enough of a rejected value to recognise it in an error, never a whole hostile string. */
    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
