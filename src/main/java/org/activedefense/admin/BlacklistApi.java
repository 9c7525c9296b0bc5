package org.activedefense.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.activedefense.detect.DetectionEngine;
import org.activedefense.policy.AddressPolicy;
import org.activedefense.publish.EdlPublisher;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The blacklist as the admin sees it: filtered lists, one address with its evidence and history,
 * adding by hand (only what the address policy would let detection list), removing, and moving an
 * address to the allowlist. Every change is audited and republishes the EDL at once.
 */
public final class BlacklistApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final DetectionEngine engine;
    private final EdlPublisher edl;
    private final AuditLog audit;

    public BlacklistApi(DataSource dataSource, DetectionEngine engine, EdlPublisher edl, AuditLog audit) {
        this.dataSource = dataSource;
        this.engine = engine;
        this.edl = edl;
        this.audit = audit;
    }

    /** {@code GET /api/blacklist?case=&source=&q=}: q is an address or CIDR the entries fall in. */
    public List<Map<String, Object>> list(Message message) throws SQLException {
        String caseName = QueryParameters.text(message, "case");
        String source = QueryParameters.text(message, "source");
        String q = QueryParameters.text(message, "q");
        String network = q == null ? null : QueryParameters.network("q", q);
        StringBuilder sql = new StringBuilder(SELECT + " WHERE true");
        List<Object> params = new ArrayList<>();
        if (caseName != null) {
            sql.append(" AND case_name = ?");
            params.add(caseName);
        }
        if (source != null) {
            sql.append(" AND source = ?");
            params.add(source);
        }
        if (network != null) {
            sql.append(" AND address <<= CAST(? AS inet)");
            params.add(network);
        }
        sql.append(" ORDER BY last_seen DESC, address");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<Map<String, Object>> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(entry(rs));
                }
            }
            return entries;
        }
    }

    /** {@code GET /api/blacklist/{address}}: the entry (or null), its history and detection findings. */
    public Map<String, Object> detail(Message message) throws SQLException {
        String address = canonicalAddress(message.getHeader("address", String.class));
        Map<String, Object> detail = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> entry = find(c, address);
            List<Map<String, Object>> history = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT case_name, source, first_seen, last_seen, evidence::text, removed_at, removal
                    FROM blacklist_history WHERE address = CAST(? AS inet) ORDER BY removed_at DESC LIMIT 100""")) {
                ps.setString(1, address);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> h = new LinkedHashMap<>();
                        h.put("case", rs.getString(1));
                        h.put("source", rs.getString(2));
                        h.put("firstSeen", rs.getTimestamp(3).toInstant());
                        h.put("lastSeen", rs.getTimestamp(4).toInstant());
                        h.put("evidence", parse(rs.getString(5)));
                        h.put("removedAt", rs.getTimestamp(6).toInstant());
                        h.put("removal", rs.getString(7));
                        history.add(h);
                    }
                }
            }
            List<Map<String, Object>> findings = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT f.run_id, r.started_at, f.case_name, f.outcome, f.reason, f.evidence::text
                    FROM detection_finding f JOIN detection_run r ON r.id = f.run_id
                    WHERE f.address = CAST(? AS inet) ORDER BY f.run_id DESC LIMIT 100""")) {
                ps.setString(1, address);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> f = new LinkedHashMap<>();
                        f.put("runId", rs.getLong(1));
                        f.put("at", rs.getTimestamp(2).toInstant());
                        f.put("case", rs.getString(3));
                        f.put("outcome", rs.getString(4));
                        f.put("reason", rs.getString(5));
                        f.put("evidence", parse(rs.getString(6)));
                        findings.add(f);
                    }
                }
            }
            if (entry == null && history.isEmpty() && findings.isEmpty()) {
                throw ApiException.notFound(address + " is not on the blacklist and never was");
            }
            detail.put("address", address);
            detail.put("listed", entry != null);
            detail.put("entry", entry);
            detail.put("history", history);
            detail.put("findings", findings);
        }
        return detail;
    }

    /** {@code POST /api/blacklist {"address", "reason"}}: lists one public address by hand. */
    public Answer add(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        RequestBody body = RequestBody.of(exchange);
        String written = body.text("address");
        String reason = body.text("reason").strip();
        if (reason.length() > 500) {
            throw new FieldException("reason", "a reason has at most 500 characters");
        }
        String address = canonicalAddress(written);
        AddressPolicy.Verdict verdict = engine.currentPolicy().check(address, Instant.now());
        if (!verdict.blockable()) {
            throw new FieldException("address", address + " cannot be blacklisted: " + verdict.reason());
        }
        Map<String, Object> entry;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO blacklist (address, case_name, source, first_seen, last_seen, times_detected,
                                            evidence, reason, added_by)
                     VALUES (CAST(? AS inet), 'manual', 'manual', now(), now(), 0, '{}', ?, ?)
                     ON CONFLICT (address) DO NOTHING""")) {
            ps.setString(1, address);
            ps.setString(2, reason);
            ps.setString(3, call.username());
            if (ps.executeUpdate() == 0) {
                throw ApiException.conflict(address + " is on the blacklist already");
            }
            entry = find(c, address);
        }
        edl.invalidate();
        audit.record(call.username(), call.source(), "blacklist.add", address, null, entry);
        return Answer.created(entry);
    }

    /** {@code DELETE /api/blacklist/{address}}: removes it, keeping it in the history. */
    public Answer remove(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        String address = canonicalAddress(exchange.getMessage().getHeader("address", String.class));
        Map<String, Object> before = removeListed(address, "removed by " + call.username());
        if (before == null) {
            throw ApiException.notFound(address + " is not on the blacklist");
        }
        edl.invalidate();
        audit.record(call.username(), call.source(), "blacklist.remove", address, before, null);
        return Answer.noContent();
    }

    /**
     * {@code POST /api/blacklist/{address}/allowlist {"comment", "expiresAt"}}: takes it off the
     * blacklist and protects the single address from now on.
     */
    public Answer moveToAllowlist(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        String address = canonicalAddress(exchange.getMessage().getHeader("address", String.class));
        RequestBody request = RequestBody.optional(exchange);
        String comment = request == null ? null : AllowlistApi.comment(request);
        Instant expires = request == null ? null : AllowlistApi.expiry(request);
        Map<String, Object> before = removeListed(address, "allowlisted by " + call.username());
        Map<String, Object> allowed = AllowlistApi.insert(dataSource, address,
                comment == null ? "moved from the blacklist" : comment, expires, call.username());
        edl.invalidate();
        audit.record(call.username(), call.source(), "blacklist.allowlist", address, before, allowed);
        return Answer.created(allowed);
    }

    private Map<String, Object> removeListed(String address, String removal) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> before = find(c, address);
            if (before == null) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH gone AS (DELETE FROM blacklist WHERE address = CAST(? AS inet) RETURNING *)
                    INSERT INTO blacklist_history (address, case_name, source, first_seen, last_seen, evidence, removal)
                    SELECT address, case_name, source, first_seen, last_seen, evidence, ? FROM gone""")) {
                ps.setString(1, address);
                ps.setString(2, removal);
                ps.executeUpdate();
            }
            return before;
        }
    }

    /** One single IP address in its canonical spelling, or a 400 naming the field. */
    static String canonicalAddress(String text) {
        try {
            return AddressPolicy.canonical(text == null ? "" : text.trim());
        } catch (IllegalArgumentException e) {
            throw new FieldException("address", "'" + QueryParameters.shorten(text) + "' is not a single IP address");
        }
    }

    private static final String SELECT = """
            SELECT host(address) AS address, case_name, source, first_seen, last_seen, times_detected,
                   evidence::text AS evidence, reason, added_by_run, added_by, listed_at
            FROM blacklist""";

    private static Map<String, Object> find(Connection c, String address) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE address = CAST(? AS inet)")) {
            ps.setString(1, address);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? entry(rs) : null;
            }
        }
    }

    private static Map<String, Object> entry(ResultSet rs) throws SQLException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("address", rs.getString("address"));
        e.put("case", rs.getString("case_name"));
        e.put("source", rs.getString("source"));
        e.put("firstSeen", instant(rs.getTimestamp("first_seen")));
        e.put("lastSeen", instant(rs.getTimestamp("last_seen")));
        e.put("timesDetected", rs.getInt("times_detected"));
        e.put("evidence", parse(rs.getString("evidence")));
        e.put("reason", rs.getString("reason"));
        long run = rs.getLong("added_by_run");
        e.put("addedByRun", rs.wasNull() ? null : run);
        e.put("addedBy", rs.getString("added_by"));
        e.put("listedAt", instant(rs.getTimestamp("listed_at")));
        return e;
    }

    private static String instant(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }

    static Object parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text;
        }
    }
}
