package org.activedefense.observe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Keeps the management port's login in the Vert.x property-file format Camel's basic
 * authentication reads ({@code user.<name> = <password>,<role>}): from properties when a password
 * is configured, otherwise a random password generated once and kept across restarts.
 */
public final class ManagementLogin {

    /** Role written beside the password; the management port does not distinguish roles. */
    static final String ROLE = "operator";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private ManagementLogin() {
    }

    /** The login in effect, written to {@code file}; {@code generated} says whether to print the password. */
    public record Login(String username, String password, boolean generated) {
    }

    public static Login ensure(Path file, String username, String password) throws IOException {
        if (!SAFE_NAME.matcher(username).matches()) {
            throw new IllegalArgumentException("management.username must be 1-64 letters, digits or . _ @ -");
        }
        if (password.contains(",") || password.chars().anyMatch(Character::isWhitespace)) {
            // Vert.x reads the file line by line, trims, and splits the password from the role at a comma.
            throw new IllegalArgumentException("management.password must not contain a comma or white space");
        }
        if (password.isEmpty()) {
            String kept = keptPassword(file, username);
            if (kept != null) {
                return new Login(username, kept, false);
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            Login login = new Login(username, Base64.getUrlEncoder().withoutPadding().encodeToString(random), true);
            write(file, login);
            return login;
        }
        Login login = new Login(username, password, false);
        write(file, login);
        return login;
    }

    private static String keptPassword(Path file, String username) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        // Read it the way Vert.x does: "user.<name> = <password>,<role>", split at the first '='.
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq < 0 || !line.substring(0, eq).trim().equals("user." + username)) {
                continue;
            }
            String entry = line.substring(eq + 1).trim();
            int comma = entry.indexOf(',');
            String kept = comma < 0 ? entry : entry.substring(0, comma).trim();
            return kept.isEmpty() ? null : kept;
        }
        return null;
    }

    private static void write(Path file, Login login) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".management-users", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's permissions have to do
        }
        Files.writeString(tmp, "# Management port login (management.username / management.password); see docs/monitoring.md\n"
                + "user." + login.username() + " = " + login.password() + "," + ROLE + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
