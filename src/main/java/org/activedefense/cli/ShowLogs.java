package org.activedefense.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * {@code java -jar target/active-defense.jar show-logs [N]}: prints the newest stored log rows, the
 * newest rejected lines with their reasons, and the devices, from the database the service uses.
 *
 * <p>Reads the same properties files, environment variables and -D options as the service. For the
 * embedded database it finds the port in the server's own {@code postmaster.pid}, so it works while
 * the service runs on any port.
 */
public final class ShowLogs {

    private ShowLogs() {
    }

    public static int run(List<String> propertyLocations, String[] args) {
        int limit = 20;
        if (args.length > 1) {
            try {
                limit = Math.max(1, Integer.parseInt(args[1]));
            } catch (NumberFormatException e) {
                System.err.println("usage: show-logs [number of rows]");
                return 2;
            }
        }
        try {
            Properties p = load(propertyLocations);
            try (Connection c = connect(p)) {
                print(c, limit, System.out);
            }
            return 0;
        } catch (IOException | SQLException | IllegalStateException e) {
            System.err.println("show-logs: " + e.getMessage());
            return 1;
        }
    }

    private static Properties load(List<String> locations) throws IOException {
        Properties p = new Properties();
        for (String location : locations) {
            boolean optional = location.endsWith(";optional=true");
            String file = location.replaceFirst("^file:", "").replace(";optional=true", "");
            Path path = Path.of(file);
            if (Files.exists(path)) {
                try (var in = Files.newBufferedReader(path)) {
                    p.load(in);
                }
            } else if (!optional) {
                throw new IOException("properties file not found: " + path.toAbsolutePath());
            }
        }
        return p;
    }

    /** A property after environment (HTTP_PORT style) and -D overrides, like camel-main resolves it. */
    static String setting(Properties p, String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        if (value == null) {
            value = p.getProperty(key, "");
        }
        return value.trim();
    }

    private static Connection connect(Properties p) throws SQLException, IOException {
        String url = setting(p, "db.url");
        if (!url.isEmpty()) {
            return DriverManager.getConnection(url, setting(p, "db.user"), setting(p, "db.password"));
        }
        Path pid = Path.of(setting(p, "db.embedded.data-dir"), "postmaster.pid");
        if (!Files.exists(pid)) {
            throw new IllegalStateException("the embedded database is not running (no " + pid.toAbsolutePath()
                    + "); start the service first");
        }
        List<String> lines = Files.readAllLines(pid);
        if (lines.size() < 4) {
            throw new IllegalStateException("cannot read the port from " + pid);
        }
        String port = lines.get(3).trim();
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
    }

    private static void print(Connection c, int limit, PrintStream out) throws SQLException {
        out.println("Newest log rows:");
        String rows = """
                SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS received, device,
                       coalesce(log_type, '') || '/' || coalesce(subtype, '') AS type,
                       coalesce(host(src_ip), '') || ':' || coalesce(src_port::text, '') AS source,
                       coalesce(host(dst_ip), '') || ':' || coalesce(dst_port::text, '') AS destination,
                       coalesce(action, '') AS action, coalesce(threat_name, '') AS threat,
                       coalesce(severity, '') AS severity
                FROM firewall_log ORDER BY received_at DESC LIMIT ?""";
        table(c, rows, limit, out);
        out.println();
        out.println("Newest rejected lines:");
        table(c, """
                SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS received,
                       host(sender) AS sender, transport, reason, left(raw, 60) AS line_start
                FROM rejected_line ORDER BY id DESC LIMIT ?""", Math.min(limit, 10), out);
        out.println();
        out.println("Devices:");
        table(c, """
                SELECT name, host(sender) AS sender,
                       to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS last_seen, lines_received
                FROM device ORDER BY last_seen DESC LIMIT ?""", limit, out);
        try (var s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT (SELECT count(*) FROM firewall_log), (SELECT count(*) FROM rejected_line)")) {
            rs.next();
            out.printf("%nTotal: %d log rows, %d rejected lines (times in UTC)%n", rs.getLong(1), rs.getLong(2));
        }
    }

    private static void table(Connection c, String sql, int limit, PrintStream out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                StringBuilder header = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    header.append(i > 1 ? " | " : "  ").append(rs.getMetaData().getColumnLabel(i));
                }
                out.println(header);
                while (rs.next()) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        line.append(i > 1 ? " | " : "  ").append(printable(rs.getString(i)));
                    }
                    out.println(line);
                }
            }
        }
    }

    /** Log fields are attacker text: control characters must not reach the admin's terminal. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || Character.getType(cp) == Character.FORMAT) {
                b.append('?');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
