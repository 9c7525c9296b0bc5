package org.activedefense.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.Message;

/** Past detection runs, newest first, and one run with what it decided for each address. */
public final class DetectionRunsApi {

    private static final String SELECT = """
            SELECT id, trigger, node, started_at, finished_at, status, matches::text, new_count, refreshed_count,
                   stopped_count, simulated_count, error FROM detection_run""";

    private final DataSource dataSource;

    public DetectionRunsApi(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<Map<String, Object>> list(Message message) throws SQLException {
        Integer limit = QueryParameters.integer(message, "limit", 1, 1000);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit == null ? 50 : limit);
            List<Map<String, Object>> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(run(rs));
                }
            }
            return runs;
        }
    }

    public Map<String, Object> detail(Message message) throws SQLException {
        long id = QueryParameters.id(message, "a detection run");
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> run;
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("no detection run " + id);
                    }
                    run = run(rs);
                }
            }
            List<Map<String, Object>> findings = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT host(address), case_name, outcome, reason, evidence::text
                    FROM detection_finding WHERE run_id = ? ORDER BY outcome, address""")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> f = new LinkedHashMap<>();
                        f.put("address", rs.getString(1));
                        f.put("case", rs.getString(2));
                        f.put("outcome", rs.getString(3));
                        f.put("reason", rs.getString(4));
                        f.put("evidence", BlacklistApi.parse(rs.getString(5)));
                        findings.add(f);
                    }
                }
            }
            run.put("findings", findings);
            return run;
        }
    }

    /** The newest run, or null before the first. */
    public Map<String, Object> latest() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY id DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? run(rs) : null;
        }
    }

    private static Map<String, Object> run(ResultSet rs) throws SQLException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", rs.getLong(1));
        r.put("trigger", rs.getString(2));
        r.put("node", rs.getString(3));
        r.put("startedAt", rs.getTimestamp(4).toInstant());
        Timestamp finished = rs.getTimestamp(5);
        r.put("finishedAt", finished == null ? null : finished.toInstant());
        r.put("status", rs.getString(6));
        r.put("matches", BlacklistApi.parse(rs.getString(7)));
        r.put("newCount", rs.getInt(8));
        r.put("refreshedCount", rs.getInt(9));
        r.put("stoppedCount", rs.getInt(10));
        r.put("simulatedCount", rs.getInt(11));
        r.put("error", rs.getString(12));
        return r;
    }
}
