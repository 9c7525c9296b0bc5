package org.activedefense.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The audit trail of every change made through the API: who, from where, when, what, before, after. */
public final class AuditLog {

    private final DataSource dataSource;
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(String username, String source, String action, String target, Object before, Object after) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO audit (username, source_address, action, target, before, after) "
                             + "VALUES (?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb))")) {
            ps.setString(1, username);
            ps.setString(2, source);
            ps.setString(3, action);
            ps.setString(4, target);
            ps.setString(5, before == null ? null : json.writeValueAsString(before));
            ps.setString(6, after == null ? null : json.writeValueAsString(after));
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            // A change that cannot be audited must not look successful.
            throw new IllegalStateException("the audit entry cannot be written: " + e.getMessage(), e);
        }
    }

    /** {@code GET /api/audit?limit=&offset=}: newest first. */
    public List<Map<String, Object>> page(org.apache.camel.Message message) throws SQLException {
        Integer limit = QueryParameters.integer(message, "limit", 1, 1000);
        Integer offset = QueryParameters.integer(message, "offset", 0, 10_000_000);
        return recent(limit == null ? 100 : limit, offset == null ? 0 : offset);
    }

    public List<Map<String, Object>> recent(int limit, int offset) throws SQLException {
        List<Map<String, Object>> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT id, at, username, source_address, action, target, before::text, after::text
                     FROM audit ORDER BY id DESC LIMIT ? OFFSET ?""")) {
            ps.setInt(1, limit);
            ps.setInt(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("id", rs.getLong(1));
                    e.put("at", rs.getTimestamp(2).toInstant());
                    e.put("username", rs.getString(3));
                    e.put("sourceAddress", rs.getString(4));
                    e.put("action", rs.getString(5));
                    e.put("target", rs.getString(6));
                    e.put("before", parse(rs.getString(7)));
                    e.put("after", parse(rs.getString(8)));
                    entries.add(e);
                }
            }
        }
        return entries;
    }

    private Object parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text;
        }
    }
}
