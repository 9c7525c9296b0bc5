package org.activedefense.parse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which keys of a key=value log line fill which {@link LogRecord} column; keys compare case-insensitively.
 *
 * <p>Immutable and thread-safe. A key may feed only one column: a key listed under two columns is a
 * configuration error, because the parser could not tell which column the administrator meant.
 */
public final class KeyAliases {

    /** The columns a key=value line can fill; {@link #propertyName()} is the configuration suffix. */
    public enum Column {
        LOG_TYPE, SUBTYPE, SRC_IP, DST_IP, SRC_PORT, DST_PORT, SRC_LOCATION, DST_LOCATION, SRC_USER,
        SRC_ZONE, DST_ZONE, RULE_NAME, RULE_UUID, ACTION, PROTOCOL, APPLICATION, THREAT_NAME, THREAT_ID,
        SEVERITY, GENERATED_TIME;

        private final String propertyName = name().toLowerCase(Locale.ROOT).replace('_', '-');

        /** Kebab-case name, e.g. {@code src-ip}, as used in {@code panos.kv.keys.<column>}. */
        public String propertyName() {
            return propertyName;
        }

        /** The column called {@code propertyName}, or an exception naming the unknown name. */
        public static Column ofPropertyName(String propertyName) {
            String wanted = propertyName == null ? "" : propertyName.trim();
            for (Column column : values()) {
                if (column.propertyName.equalsIgnoreCase(wanted)) {
                    return column;
                }
            }
            throw new IllegalArgumentException("unknown key=value column '" + propertyName + "'; known columns: "
                    + String.join(", ", allPropertyNames()));
        }

        private static List<String> allPropertyNames() {
            List<String> names = new ArrayList<>();
            for (Column column : values()) {
                names.add(column.propertyName);
            }
            return names;
        }
    }

    private static final int MAX_KEY_LENGTH = 128;

    private final Map<Column, List<String>> keysByColumn;
    /** Open-addressing table over lower-cased keys so a lookup needs no substring of the line. */
    private final String[] tableKeys;
    private final Column[] tableColumns;
    private final int tableMask;

    private KeyAliases(Map<Column, List<String>> keysByColumn) {
        EnumMap<Column, List<String>> copy = new EnumMap<>(Column.class);
        int keyCount = 0;
        for (Column column : Column.values()) {
            List<String> keys = keysByColumn.getOrDefault(column, List.of());
            copy.put(column, List.copyOf(keys));
            keyCount += keys.size();
        }
        this.keysByColumn = Collections.unmodifiableMap(copy);
        int capacity = Integer.highestOneBit(Math.max(4, keyCount * 4 - 1)) << 1;
        this.tableKeys = new String[capacity];
        this.tableColumns = new Column[capacity];
        this.tableMask = capacity - 1;
        for (Map.Entry<Column, List<String>> entry : copy.entrySet()) {
            for (String key : entry.getValue()) {
                insert(key.toLowerCase(Locale.ROOT), entry.getKey());
            }
        }
    }

    /**
     * The seed custom format's keys ({@code SrcIP}, …, {@code TimeReceived}), PAN-OS's own variable
     * names ({@code src}, {@code dport}, {@code time_generated}, …) and the Datadog attribute names
     * PAN-OS integrations use ({@code network.client.ip}, {@code evt.name}, …).
     *
     * <p>{@code TimeReceived}, {@code time_generated} and {@code time_received} all fill the generated
     * time; a template carrying two of them with different values is rejected as ambiguous, so such a
     * template should override {@code generated-time} with the one key it wants.
     */
    public static KeyAliases defaults() {
        Map<Column, List<String>> keys = new EnumMap<>(Column.class);
        keys.put(Column.LOG_TYPE, List.of("Type"));
        keys.put(Column.SUBTYPE, List.of("Subtype"));
        keys.put(Column.SRC_IP, List.of("SrcIP", "src", "network.client.ip"));
        keys.put(Column.DST_IP, List.of("DstIP", "dst", "network.destination.ip"));
        keys.put(Column.SRC_PORT, List.of("SrcPort", "sport", "network.client.port"));
        keys.put(Column.DST_PORT, List.of("DstPort", "dport", "network.destination.port"));
        keys.put(Column.SRC_LOCATION, List.of("SrcLocation", "srcloc", "network.client.geoip.country.name"));
        keys.put(Column.DST_LOCATION, List.of("DstLocation", "dstloc"));
        keys.put(Column.SRC_USER, List.of("SrcUser", "srcuser", "usr.id"));
        keys.put(Column.SRC_ZONE, List.of("from"));
        keys.put(Column.DST_ZONE, List.of("to"));
        keys.put(Column.RULE_NAME, List.of("RuleName", "rule"));
        keys.put(Column.RULE_UUID, List.of("RuleID", "rule_uuid"));
        keys.put(Column.ACTION, List.of("Action", "evt.name"));
        keys.put(Column.PROTOCOL, List.of("proto"));
        keys.put(Column.APPLICATION, List.of("app"));
        keys.put(Column.THREAT_NAME, List.of("ThreatName", "threat_name"));
        keys.put(Column.THREAT_ID, List.of("ThreatID", "threatid"));
        keys.put(Column.SEVERITY, List.of("Severity"));
        keys.put(Column.GENERATED_TIME, List.of("TimeReceived", "time_generated", "time_received"));
        return checked(keys);
    }

    /**
     * A copy in which each given column's key list is replaced.
     *
     * @param columnToCommaSeparatedKeys e.g. {@code src-ip -> "SrcIP, src"}; an empty list switches the
     *                                   column off for key=value lines
     * @throws IllegalArgumentException for an unknown column name, a malformed key, or a key that would
     *                                  then feed two columns
     */
    public KeyAliases withOverrides(Map<String, String> columnToCommaSeparatedKeys) {
        Map<Column, List<String>> keys = new EnumMap<>(keysByColumn);
        for (Map.Entry<String, String> entry : columnToCommaSeparatedKeys.entrySet()) {
            Column column = Column.ofPropertyName(entry.getKey());
            List<String> list = new ArrayList<>();
            String text = entry.getValue() == null ? "" : entry.getValue();
            for (String key : text.split(",")) {
                String trimmed = key.trim();
                if (!trimmed.isEmpty()) {
                    list.add(trimmed);
                }
            }
            keys.put(column, list);
        }
        return checked(keys);
    }

    /** The keys that fill {@code column}, in configuration order. */
    public List<String> keysOf(Column column) {
        return keysByColumn.get(column);
    }

    /** The column {@code key} fills (case-insensitively), or null when the key is not mapped. */
    public Column columnOf(String key) {
        return key == null ? null : columnOf(key, 0, key.length());
    }

    /** Looks up the key {@code text[start, end)} without copying it out of the line. */
    Column columnOf(String text, int start, int end) {
        int length = end - start;
        if (length <= 0 || length > MAX_KEY_LENGTH) {
            return null;
        }
        int slot = hash(text, start, end) & tableMask;
        while (true) {
            String candidate = tableKeys[slot];
            if (candidate == null) {
                return null;
            }
            if (candidate.length() == length && foldedEquals(candidate, text, start)) {
                return tableColumns[slot];
            }
            slot = (slot + 1) & tableMask;
        }
    }

    private static KeyAliases checked(Map<Column, List<String>> keys) {
        Map<String, Column> owner = new HashMap<>();
        Map<Column, List<String>> deduplicated = new EnumMap<>(Column.class);
        for (Map.Entry<Column, List<String>> entry : keys.entrySet()) {
            List<String> distinct = new ArrayList<>();
            for (String key : entry.getValue()) {
                if (!isValidKey(key)) {
                    throw new IllegalArgumentException("key=value column " + entry.getKey().propertyName()
                            + ": '" + key + "' is not a key name (letters, digits, '_' and '.', not starting"
                            + " with a digit or '.', at most " + MAX_KEY_LENGTH + " characters)");
                }
                String folded = key.toLowerCase(Locale.ROOT);
                Column previous = owner.putIfAbsent(folded, entry.getKey());
                if (previous == null) {
                    distinct.add(key);
                } else if (previous != entry.getKey()) {
                    throw new IllegalArgumentException("key=value key '" + key + "' is mapped to both "
                            + previous.propertyName() + " and " + entry.getKey().propertyName());
                }
            }
            deduplicated.put(entry.getKey(), distinct);
        }
        return new KeyAliases(deduplicated);
    }

    /** The same identifier grammar {@link KeyValueBodyParser} recognises as a pair's key. */
    static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || !isKeyStart(key.charAt(0))) {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            if (!isKeyPart(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isKeyStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isKeyPart(char c) {
        return isKeyStart(c) || (c >= '0' && c <= '9') || c == '.';
    }

    private void insert(String foldedKey, Column column) {
        int slot = hash(foldedKey, 0, foldedKey.length()) & tableMask;
        while (tableKeys[slot] != null) {
            slot = (slot + 1) & tableMask;
        }
        tableKeys[slot] = foldedKey;
        tableColumns[slot] = column;
    }

    /** Compares ASCII-only: {@code regionMatches(true, …)} would let e.g. the Kelvin sign match 'k'. */
    private static boolean foldedEquals(String foldedKey, String text, int start) {
        for (int i = 0; i < foldedKey.length(); i++) {
            char c = text.charAt(start + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != foldedKey.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** ASCII case-folding hash; keys are ASCII by {@link #isValidKey}, so folding only letters suffices. */
    private static int hash(String text, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            h = 31 * h + c;
        }
        return h ^ (h >>> 16);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("KeyAliases");
        char separator = '{';
        for (Map.Entry<Column, List<String>> entry : keysByColumn.entrySet()) {
            text.append(separator).append(entry.getKey().propertyName()).append('=').append(entry.getValue());
            separator = ' ';
        }
        return text.append('}').toString();
    }
}
