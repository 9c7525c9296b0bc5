package org.activedefense.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.sql.DataSource;

import org.activedefense.admin.AdminAccounts.Caller;

/**
 * Console login sessions, kept in the database so they work on every node: a random cookie value
 * (only its SHA-256 is stored), a CSRF token that every change must echo, an idle timeout and an
 * absolute lifetime.
 */
public final class ConsoleSessions {

    public static final String COOKIE = "ad_session";

    /** A live session: who, and the token its changes must carry. */
    public record Session(String token, Caller caller, String csrfToken, Instant expiresAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final Duration idle;
    private final Duration lifetime;

    public ConsoleSessions(DataSource dataSource, Duration idle, Duration lifetime) {
        this.dataSource = dataSource;
        this.idle = idle;
        this.lifetime = lifetime;
    }

    public Session open(Caller caller, String source) throws SQLException {
        String token = random();
        String csrf = random();
        Instant expires = Instant.now().plus(lifetime);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM console_session WHERE expires_at < now()")) {
                purge.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO console_session (token_hash, username, csrf_token, expires_at, source) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, sha256(token));
                ps.setString(2, caller.username());
                ps.setString(3, csrf);
                ps.setTimestamp(4, Timestamp.from(expires));
                ps.setString(5, source);
                ps.executeUpdate();
            }
        }
        return new Session(token, caller, csrf, expires);
    }

    /** The session a cookie value names, if it is live; using it moves its idle deadline on. */
    public Optional<Session> find(String token) throws SQLException {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE console_session s SET last_used = now()
                     FROM account a
                     WHERE s.token_hash = ? AND a.username = s.username
                       AND s.expires_at > now() AND s.last_used > now() - make_interval(secs => ?)
                     RETURNING s.username, a.role, s.csrf_token, s.expires_at""")) {
            ps.setString(1, sha256(token));
            ps.setLong(2, idle.toSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Session(token, new Caller(rs.getString(1), rs.getString(2)),
                        rs.getString(3), rs.getTimestamp(4).toInstant()));
            }
        }
    }

    public void close(String token) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM console_session WHERE token_hash = ?")) {
            ps.setString(1, sha256(token));
            ps.executeUpdate();
        }
    }

    /** Ends every session of {@code username} except {@code keepToken} (after a password change). */
    public void closeOthers(String username, String keepToken) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "DELETE FROM console_session WHERE username = ? AND token_hash <> ?")) {
            ps.setString(1, username);
            ps.setString(2, keepToken == null ? "" : sha256(keepToken));
            ps.executeUpdate();
        }
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Compares two tokens in time independent of where they differ. */
    public static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
