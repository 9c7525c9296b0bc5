package org.activedefense.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.password4j.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts allowed into the admin API, checked from HTTP basic credentials.
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
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
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
                Caller caller = new Caller(user, rs.getString(2));
                verified.put(key, new Remembered(caller, System.nanoTime() + REMEMBER_NANOS));
                return Optional.of(caller);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("accounts cannot be read: " + e.getMessage(), e);
        }
    }

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
