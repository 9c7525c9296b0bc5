package org.activedefense.settings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import javax.sql.DataSource;

import org.activedefense.detect.DetectionSettings;

/**
 * The settings an admin may change while the service runs: a value stored through the API wins
 * over {@code application.properties}, which keeps the defaults. Values are read from the
 * database at most every few seconds, so every node sees a change within that time and the next
 * detection run, EDL render or mail uses it without a restart.
 */
public final class SettingsStore {

    /** Called after values changed, with the keys that did. */
    public interface Listener {
        void changed(Set<String> keys);
    }

    private static final long REFRESH_NANOS = 5_000_000_000L;

    private final DataSource dataSource;
    private final Function<String, String> properties;
    private final Map<String, SettingDefinition> definitions = new LinkedHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, String> stored = Map.of();
    private volatile long readAtNanos = System.nanoTime() - REFRESH_NANOS - 1;

    /** @param properties the configured value of a key (application.properties, profiles, env, -D) */
    public SettingsStore(DataSource dataSource, Function<String, String> properties) {
        this.dataSource = dataSource;
        this.properties = properties;
        for (SettingDefinition d : SettingDefinition.ALL) {
            definitions.put(d.key(), d);
            // A bad value in the file is found at start, not at the first run that reads it.
            d.validate(properties.apply(d.key()));
        }
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public String value(String key) {
        SettingDefinition d = definition(key);
        String v = stored().get(d.key());
        return v != null ? v : configured(key);
    }

    public int integer(String key) {
        return Integer.parseInt(value(key).trim());
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(value(key).trim());
    }

    public List<String> list(String key) {
        List<String> items = new ArrayList<>();
        for (String item : value(key).split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    /** Whether {@code key} currently comes from the database. */
    public boolean storedInDatabase(String key) {
        return stored().containsKey(key);
    }

    /** The detection thresholds the next run uses. */
    public DetectionSettings detectionSettings() {
        return new DetectionSettings(
                integer("detect.port-scan.ports"),
                integer("detect.port-scan.window-minutes"),
                integer("detect.host-sweep.hosts"),
                integer("detect.host-sweep.window-minutes"),
                integer("detect.vulnerability.level"),
                list("detect.vulnerability.subtypes"),
                integer("detect.vulnerability.window-minutes"),
                integer("detect.refresh-window-minutes"),
                Set.copyOf(list("detect.simulate-cases")));
    }

    /** Every setting: key, value, default, source, description, kind. Secrets are masked. */
    public List<Map<String, Object>> describe() {
        List<Map<String, Object>> all = new ArrayList<>();
        Map<String, String> db = stored();
        for (SettingDefinition d : definitions.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            String configured = configured(d.key());
            String value = db.getOrDefault(d.key(), configured);
            m.put("key", d.key());
            m.put("group", d.group());
            m.put("value", d.secret() ? mask(value) : value);
            m.put("default", d.secret() ? mask(configured) : configured);
            m.put("source", db.containsKey(d.key()) ? "database" : "properties");
            m.put("description", d.description());
            m.put("kind", d.kind());
            all.add(m);
        }
        return all;
    }

    /**
     * Validates every value first and stores them in one transaction, so a request with one bad
     * field changes nothing. Answers the values before the change (for the audit log).
     *
     * @throws SettingException naming the first bad key
     */
    public Map<String, String> update(Map<String, String> changes, String username) throws SQLException {
        Map<String, String> normalised = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : changes.entrySet()) {
            SettingDefinition d = definitions.get(e.getKey());
            if (d == null) {
                throw new SettingException(e.getKey(), "'" + shorten(e.getKey()) + "' is not a setting that can be changed here");
            }
            normalised.put(d.key(), d.validate(e.getValue()));
        }
        Map<String, String> before = new LinkedHashMap<>();
        normalised.keySet().forEach(k -> before.put(k, definitions.get(k).secret() ? mask(value(k)) : value(k)));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO setting (key, value, updated_by) VALUES (?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by,
                                                    updated_at = now()""")) {
                for (Map.Entry<String, String> e : normalised.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setString(2, e.getValue());
                    ps.setString(3, username);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        reload();
        fire(normalised.keySet());
        return before;
    }

    /** Deletes the stored value of {@code key}: the configured one applies again. */
    public String reset(String key) throws SQLException {
        SettingDefinition d = definition(key);
        String before = value(key);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM setting WHERE key = ?")) {
            ps.setString(1, d.key());
            ps.executeUpdate();
        }
        reload();
        fire(Set.of(d.key()));
        return d.secret() ? mask(before) : before;
    }

    /** Reads the stored values now. */
    public void reload() throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT key, value FROM setting");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                // a key an older or newer version stored, or a value it allowed, is ignored here
                SettingDefinition d = definitions.get(rs.getString(1));
                if (d != null && d.isValid(rs.getString(2))) {
                    values.put(d.key(), rs.getString(2));
                }
            }
        }
        stored = Map.copyOf(values);
        readAtNanos = System.nanoTime();
    }

    private Map<String, String> stored() {
        if (System.nanoTime() - readAtNanos > REFRESH_NANOS) {
            try {
                Map<String, String> previous = stored;
                reload();
                if (!previous.equals(stored)) {
                    Set<String> keys = new java.util.HashSet<>(previous.keySet());
                    keys.addAll(stored.keySet());
                    keys.removeIf(k -> java.util.Objects.equals(previous.get(k), stored.get(k)));
                    fire(keys);
                }
            } catch (SQLException e) {
                // The database is away: keep the last values read; the outage shows elsewhere.
                readAtNanos = System.nanoTime();
            }
        }
        return stored;
    }

    private void fire(Set<String> keys) {
        for (Listener l : listeners) {
            l.changed(keys);
        }
    }

    private SettingDefinition definition(String key) {
        SettingDefinition d = definitions.get(key);
        if (d == null) {
            throw new SettingException(key, "'" + shorten(key) + "' is not a setting that can be changed here");
        }
        return d;
    }

    private String configured(String key) {
        String v = properties.apply(key);
        return v == null ? "" : v;
    }

    private static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "" : "********";
    }

    static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
