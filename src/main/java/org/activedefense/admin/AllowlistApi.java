package org.activedefense.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.activedefense.policy.AddressPolicy;
import org.apache.camel.Exchange;

/**
 * The allowlist: networks never blocked. Entries from {@code policy.allowlist} are shown read-only;
 * the table's entries are added and removed here, and apply from the next detection run.
 */
public final class AllowlistApi {

    private final DataSource dataSource;
    private final List<String> fromProperties;
    private final AuditLog audit;

    public AllowlistApi(DataSource dataSource, List<String> fromProperties, AuditLog audit) {
        this.dataSource = dataSource;
        this.fromProperties = List.copyOf(fromProperties);
        this.audit = audit;
    }

    public List<Map<String, Object>> list() throws SQLException {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String network : fromProperties) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", null);
            e.put("network", network);
            e.put("comment", "policy.allowlist in the configuration");
            e.put("expiresAt", null);
            e.put("createdAt", null);
            e.put("createdBy", null);
            e.put("source", "properties");
            entries.add(e);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY network");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                entries.add(entry(rs));
            }
        }
        return entries;
    }

    public Answer add(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        RequestBody body = RequestBody.of(exchange);
        String network = QueryParameters.network("network", body.text("network"));
        Map<String, Object> entry = insert(dataSource, network, comment(body), expiry(body), call.username());
        audit.record(call.username(), call.source(), "allowlist.add", network, null, entry);
        return Answer.created(entry);
    }

    public Answer remove(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        long id = QueryParameters.id(exchange.getMessage(), "an allowlist entry");
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> before;
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("no allowlist entry " + id);
                    }
                    before = entry(rs);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM allowlist WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            audit.record(call.username(), call.source(), "allowlist.remove", (String) before.get("network"), before, null);
        }
        return Answer.noContent();
    }

    /** Adds (or, for a network already there, updates) an entry; answers it. */
    static Map<String, Object> insert(DataSource dataSource, String network, String comment, Instant expires,
                                      String username) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO allowlist (network, comment, expires_at, created_by)
                     VALUES (CAST(? AS cidr), ?, ?, ?)
                     ON CONFLICT (network) DO UPDATE SET comment = excluded.comment, expires_at = excluded.expires_at
                     RETURNING id""")) {
            ps.setString(1, network);
            ps.setString(2, comment);
            ps.setTimestamp(3, expires == null ? null : Timestamp.from(expires));
            ps.setString(4, username);
            long id;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            try (PreparedStatement read = c.prepareStatement(SELECT + " WHERE id = ?")) {
                read.setLong(1, id);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    return entry(rs);
                }
            }
        }
    }

    static String comment(RequestBody body) {
        String comment = body.optionalText("comment");
        if (comment == null || comment.isBlank()) {
            return null;
        }
        comment = comment.strip();
        if (comment.length() > 500) {
            throw new FieldException("comment", "a comment has at most 500 characters");
        }
        return comment;
    }

    static Instant expiry(RequestBody body) {
        String text = body.optionalText("expiresAt");
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Instant at = OffsetDateTime.parse(text.trim()).toInstant();
            if (at.isBefore(Instant.now())) {
                throw new FieldException("expiresAt", "expiresAt is in the past");
            }
            return at;
        } catch (DateTimeParseException e) {
            throw new FieldException("expiresAt", "expiresAt must be an ISO-8601 time with an offset, e.g. 2026-12-31T23:59:59Z");
        }
    }

    private static final String SELECT =
            "SELECT id, network::text, comment, expires_at, created_at, created_by FROM allowlist";

    private static Map<String, Object> entry(ResultSet rs) throws SQLException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", rs.getLong(1));
        String network = rs.getString(2);
        e.put("network", network.endsWith("/32") || network.endsWith("/128")
                ? AddressPolicy.canonicalNetwork(network) : network);
        e.put("comment", rs.getString(3));
        Timestamp expires = rs.getTimestamp(4);
        e.put("expiresAt", expires == null ? null : expires.toInstant());
        e.put("createdAt", rs.getTimestamp(5).toInstant());
        e.put("createdBy", rs.getString(6));
        e.put("source", "database");
        return e;
    }
}
