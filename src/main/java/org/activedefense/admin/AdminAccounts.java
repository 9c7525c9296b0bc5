package org.activedefense.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.password4j.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts allowed into the admin API and console, with their roles (admin, viewer).
 *
 * <p>Passwords are Argon2id hashes (password4j, pure Java). Verifying one costs tens of
 * milliseconds by design, so a verified Authorization header is remembered for a minute under a
 * SHA-256 of itself; the clear text is never kept or logged.
 */
public final class AdminAccounts {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAccounts.class);
    private static final long REMEMBER_NANOS = 60_000_000_000L;

    /** Who is calling, once authenticated. */
    public record Caller(String username, String role) {
        public boolean isAdmin() {
            return "admin".equals(role);
        }
    }

    private record Remembered(Caller caller, long untilNanos) {
    }

    private final DataSource dataSource;
    private final Map<String, Remembered> verified = new ConcurrentHashMap<>();

    public AdminAccounts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates the first admin when there is no account yet: with {@code password} when given, or
     * with a random one printed once to the log.
     */
    public void ensureFirstAdmin(String username, String password) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM account");
             ResultSet rs = count.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return;
            }
        }
        String user = username == null || username.isBlank() ? "admin" : username.trim();
        boolean generated = password == null || password.isBlank();
        String secret = generated ? randomPassword() : password;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO account (username, password_hash, role) VALUES (?, ?, 'admin') ON CONFLICT DO NOTHING")) {
            ps.setString(1, user);
            ps.setString(2, hash(secret));
            ps.executeUpdate();
        }
        if (generated) {
            LOG.warn("Created the first admin account '{}' with the generated password: {}  "
                    + "(shown only this once; set admin.password to choose it yourself)", user, secret);
        } else {
            LOG.info("Created the first admin account '{}' with the password from admin.password", user);
        }
    }

    /** The caller named by an {@code Authorization: Basic ...} header, if the password matches. */
    public Optional<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String key = sha256(authorization);
        Remembered r = verified.get(key);
        if (r != null && System.nanoTime() < r.untilNanos()) {
            return Optional.of(r.caller());
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        Optional<Caller> caller = verify(decoded.substring(0, colon), decoded.substring(colon + 1));
        caller.ifPresent(value -> verified.put(key, new Remembered(value, System.nanoTime() + REMEMBER_NANOS)));
        return caller;
    }

    /** The account {@code user} when {@code password} is its password. */
    public Optional<Caller> verify(String user, String password) {
        if (user == null || password == null) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT password_hash, role FROM account WHERE username = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    // Spend the same time as a real check, so probing for user names learns nothing.
                    Password.check(password, DUMMY_HASH).withArgon2();
                    return Optional.empty();
                }
                if (!Password.check(password, rs.getString(1)).withArgon2()) {
                    return Optional.empty();
                }
                return Optional.of(new Caller(user, rs.getString(2)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("accounts cannot be read: " + e.getMessage(), e);
        }
    }

    /** Every account, without its hash. */
    public List<Map<String, Object>> list() throws SQLException {
        List<Map<String, Object>> accounts = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT username, role, created_at, password_changed_at FROM account ORDER BY username");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("username", rs.getString(1));
                a.put("role", rs.getString(2));
                a.put("createdAt", rs.getTimestamp(3).toInstant());
                a.put("passwordChangedAt", rs.getTimestamp(4).toInstant());
                accounts.add(a);
            }
        }
        return accounts;
    }

    /** Creates an account; false when the name is taken. */
    public boolean create(String username, String password, String role) throws SQLException {
        requireUsername(username);
        requirePassword(password, "password");
        if (!"admin".equals(role) && !"viewer".equals(role)) {
            throw new FieldException("role", "role must be admin or viewer");
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO account (username, password_hash, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, username);
            ps.setString(2, hash(password));
            ps.setString(3, role);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Deletes an account (its sessions go with it). Refuses to delete the last admin, so the
     * console can never lock everyone out.
     */
    public boolean delete(String username) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("LOCK TABLE account IN SHARE ROW EXCLUSIVE MODE")) {
                lock.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM account WHERE username = ?
                      AND (role <> 'admin' OR (SELECT count(*) FROM account WHERE role = 'admin') > 1)""")) {
                ps.setString(1, username);
                int deleted = ps.executeUpdate();
                c.commit();
                verified.clear();
                return deleted == 1;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public boolean exists(String username) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM account WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Sets a new password after checking the current one; false when the current one is wrong. */
    public boolean changePassword(String username, String current, String next) throws SQLException {
        requirePassword(next, "newPassword");
        if (verify(username, current == null ? "" : current).isEmpty()) {
            return false;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE account SET password_hash = ?, password_changed_at = now() WHERE username = ?")) {
            ps.setString(1, hash(next));
            ps.setString(2, username);
            ps.executeUpdate();
        }
        // Remembered basic credentials with the old password must stop working now, not in a minute.
        verified.clear();
        return true;
    }

    private static void requireUsername(String username) {
        if (username == null || !username.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new FieldException("username", "a user name is 1 to 64 letters, digits or . _ @ -");
        }
    }

    private static void requirePassword(String password, String field) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
            throw new FieldException(field, "a password needs at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > 1024) {
            throw new FieldException(field, "a password may have at most 1024 characters");
        }
    }

    public static final int MIN_PASSWORD_LENGTH = 12;

    static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).withArgon2().getResult();
    }

    private static final String DUMMY_HASH = hash("not a real password");

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
