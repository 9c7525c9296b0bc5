package org.activedefense.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.activedefense.parse.DeviceTimeZones;
import org.apache.camel.Exchange;

/**
 * The firewalls that send us logs: when each was last heard, its line rate (from the per-minute
 * counter samples), whether it has gone silent, and the time zone its timestamps are read in.
 */
public final class DevicesApi {

    private final DataSource dataSource;
    private final DeviceTimeZones zones;
    private final Duration silence;
    private final AuditLog audit;

    public DevicesApi(DataSource dataSource, DeviceTimeZones zones, Duration silence, AuditLog audit) {
        this.dataSource = dataSource;
        this.zones = zones;
        this.silence = silence;
        this.audit = audit;
    }

    public List<Map<String, Object>> list() throws SQLException {
        List<Map<String, Object>> devices = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT d.name, host(d.sender), d.first_seen, d.last_seen, d.lines_received, d.time_zone,
                            d.lines_received - coalesce(
                                (SELECT s.lines_received FROM device_counter_sample s
                                 WHERE s.device = d.name AND s.at >= now() - interval '1 hour'
                                 ORDER BY s.at LIMIT 1), d.lines_received) AS last_hour,
                            (SELECT extract(epoch FROM now() - s.at) FROM device_counter_sample s
                             WHERE s.device = d.name AND s.at >= now() - interval '1 hour'
                             ORDER BY s.at LIMIT 1) AS sampled_seconds
                     FROM device d ORDER BY d.name""");
             ResultSet rs = ps.executeQuery()) {
            Instant now = Instant.now();
            while (rs.next()) {
                Map<String, Object> d = new LinkedHashMap<>();
                Instant lastSeen = rs.getTimestamp(4).toInstant();
                d.put("name", rs.getString(1));
                d.put("lastSender", rs.getString(2));
                d.put("firstSeen", rs.getTimestamp(3).toInstant());
                d.put("lastSeen", lastSeen);
                d.put("linesTotal", rs.getLong(5));
                d.put("timeZone", rs.getString(6));
                d.put("effectiveTimeZone", zones.zoneOf(rs.getString(1)).getId());
                long lastHour = rs.getLong(7);
                double seconds = rs.getDouble(8);
                d.put("linesLastHour", lastHour);
                d.put("linesPerMinute", seconds >= 60 ? Math.round(lastHour * 600.0 / seconds) / 10.0 : null);
                d.put("silent", lastSeen.isBefore(now.minus(silence)));
                devices.add(d);
            }
        }
        return devices;
    }

    /** {@code PUT /api/devices/{name} {"timeZone": "Europe/Berlin"}}; null clears it. */
    public Map<String, Object> change(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        String name = exchange.getMessage().getHeader("name", String.class);
        RequestBody body = RequestBody.of(exchange);
        if (!body.has("timeZone")) {
            throw new FieldException("timeZone", "send {\"timeZone\": \"Europe/Berlin\"}, or null to clear it");
        }
        String zone = body.optionalText("timeZone");
        if (zone != null && !zone.isBlank()) {
            try {
                zone = ZoneId.of(zone.trim()).getId();
            } catch (DateTimeException e) {
                throw new FieldException("timeZone", "unknown time zone '" + QueryParameters.shorten(zone)
                        + "'; use a region id such as Europe/Berlin or UTC");
            }
        } else {
            zone = null;
        }
        String before;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT time_zone FROM device WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("no device named '" + QueryParameters.shorten(name) + "'");
                    }
                    before = rs.getString(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE device SET time_zone = ? WHERE name = ?")) {
                ps.setString(1, zone);
                ps.setString(2, name);
                ps.executeUpdate();
            }
        }
        reloadZones();
        audit.record(call.username(), call.source(), "device.time-zone", name,
                before == null ? null : Map.of("timeZone", before), zone == null ? null : Map.of("timeZone", zone));
        return list().stream().filter(d -> name.equals(d.get("name"))).findFirst().orElseThrow();
    }

    /** Loads the zones set in the console into the parser (at start, after a change, and periodically). */
    public void reloadZones() throws SQLException {
        Map<String, ZoneId> set = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, time_zone FROM device WHERE time_zone IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    set.put(rs.getString(1), ZoneId.of(rs.getString(2)));
                } catch (DateTimeException e) {
                    // only valid zones are ever stored through the API; skip anything else
                }
            }
        }
        zones.replaceConsoleZones(set);
    }

    /** The dashboard's line rates: now, and per 15 minutes over the last 24 hours. */
    public Map<String, Object> rates() throws SQLException {
        Map<String, Object> rates = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT (SELECT coalesce(sum(lines_received), 0) FROM device)
                             - coalesce((SELECT sum(lines_received) FROM device_counter_sample
                                         WHERE at = (SELECT max(at) FROM device_counter_sample
                                                     WHERE at <= now() - interval '1 minute')), 0),
                           extract(epoch FROM now() - (SELECT max(at) FROM device_counter_sample
                                                       WHERE at <= now() - interval '1 minute'))""");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                double seconds = rs.getDouble(2);
                rates.put("linesPerSecond", rs.wasNull() || seconds <= 0 ? null
                        : Math.round(rs.getLong(1) * 10.0 / seconds) / 10.0);
            }
            List<Map<String, Object>> buckets = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH totals AS (
                        SELECT at, sum(lines_received) AS total FROM device_counter_sample
                        WHERE at >= now() - interval '24 hours 15 minutes' GROUP BY at
                    ), deltas AS (
                        SELECT at, greatest(total - lag(total) OVER (ORDER BY at), 0) AS lines FROM totals
                    ), slots AS (
                        SELECT generate_series(date_bin('15 minutes', now() - interval '23 hours 45 minutes', 'epoch'),
                                               date_bin('15 minutes', now(), 'epoch'), interval '15 minutes') AS slot
                    )
                    SELECT s.slot, coalesce(sum(d.lines), 0)
                    FROM slots s LEFT JOIN deltas d ON date_bin('15 minutes', d.at, 'epoch') = s.slot
                    GROUP BY s.slot ORDER BY s.slot""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> b = new LinkedHashMap<>();
                    b.put("at", rs.getTimestamp(1).toInstant());
                    b.put("lines", rs.getLong(2));
                    buckets.add(b);
                }
            }
            rates.put("lines24h", buckets);
        }
        return rates;
    }
}
