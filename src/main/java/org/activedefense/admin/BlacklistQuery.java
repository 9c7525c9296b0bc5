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

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the blacklist for the admin API: every entry with its reason and evidence. */
public final class BlacklistQuery {

    private final DataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();

    public BlacklistQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<Map<String, Object>> all() throws SQLException {
        List<Map<String, Object>> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT host(address) AS address, case_name, source, first_seen, last_seen, times_detected,
                            evidence::text AS evidence, reason, added_by_run, added_by, listed_at
                     FROM blacklist ORDER BY last_seen DESC, address""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("address", rs.getString("address"));
                e.put("case", rs.getString("case_name"));
                e.put("source", rs.getString("source"));
                e.put("firstSeen", rs.getTimestamp("first_seen").toInstant().toString());
                e.put("lastSeen", rs.getTimestamp("last_seen").toInstant().toString());
                e.put("timesDetected", rs.getInt("times_detected"));
                e.put("evidence", parse(rs.getString("evidence")));
                e.put("reason", rs.getString("reason"));
                long run = rs.getLong("added_by_run");
                e.put("addedByRun", rs.wasNull() ? null : run);
                e.put("addedBy", rs.getString("added_by"));
                e.put("listedAt", rs.getTimestamp("listed_at").toInstant().toString());
                entries.add(e);
            }
        }
        return entries;
    }

    private Object parse(String text) {
        try {
            return json.readValue(text, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return text;
        }
    }
}
