package org.activedefense;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.camel.main.Main;

/**
 * The real service, booted in-process exactly as {@code java -jar} boots it (same launcher, routes
 * and application.properties), on free ports and with its own embedded PostgreSQL under target/.
 */
public final class RunningService implements AutoCloseable {

    public final int udpPort;
    public final int tcpPort;
    public final int httpPort;
    /** The management port (metrics, Jolokia, detailed health), behind {@link #MANAGEMENT_USER}'s login. */
    public final int managementPort;
    public final Path dataDir;
    private final Main main;

    public static final String MANAGEMENT_USER = "monitor";
    public static final String MANAGEMENT_PASSWORD = "test-management-password";

    private RunningService(Main main, int udpPort, int tcpPort, int httpPort, int managementPort, Path dataDir) {
        this.main = main;
        this.managementPort = managementPort;
        this.udpPort = udpPort;
        this.tcpPort = tcpPort;
        this.httpPort = httpPort;
        this.dataDir = dataDir;
    }

    /** Boots with a data folder named after the test, wiped first. */
    public static RunningService start(String name, Map<String, String> overrides) throws Exception {
        Path dataDir = Path.of("target", "test-data", name).toAbsolutePath();
        deleteRecursively(dataDir);
        return startOn(dataDir, overrides);
    }

    /** Boots on an existing data folder (a restart). */
    public static RunningService startOn(Path dataDir, Map<String, String> overrides) throws Exception {
        int udp = freeUdpPort();
        int tcp = freeTcpPort();
        int http = freeTcpPort();
        int management = freeTcpPort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("syslog.bind-address", "127.0.0.1");
        props.put("syslog.udp.port", String.valueOf(udp));
        props.put("syslog.tcp.port", String.valueOf(tcp));
        props.put("http.port", String.valueOf(http));
        props.put("management.port", String.valueOf(management));
        props.put("management.password", MANAGEMENT_PASSWORD);
        props.put("management.users-file", dataDir.resolve("management-users.properties").toString());
        props.put("https.port", String.valueOf(freeTcpPort()));
        props.put("syslog.tls.port", String.valueOf(freeTcpPort()));
        props.put("tls.dir", dataDir.resolve("tls").toString());
        props.put("db.embedded.data-dir", dataDir.resolve("postgres").toString());
        props.put("db.embedded.port", "0");
        props.put("db.embedded.shared-buffers", "32MB");
        props.put("ingest.spool.dir", dataDir.resolve("spool").toString());
        props.put("ingest.checkpoint-file", dataDir.resolve("ingest-checkpoint.properties").toString());
        props.put("ingest.batch-max-latency-ms", "50");
        // tests run detection through the API; a scheduled run landing mid-test would change its outcome
        props.put("detect.cron", "0 0 0 1 1 ? 2099");
        props.putAll(overrides);
        Main main = Application.newMain();
        // Override, not initial: these must win over application.properties like -D options do.
        props.forEach(main::addOverrideProperty);
        main.start();
        return new RunningService(main, udp, tcp, Integer.parseInt(props.get("http.port")),
                Integer.parseInt(props.get("management.port")), dataDir);
    }

    public DataSource dataSource() {
        return main.getCamelContext().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    public org.apache.camel.CamelContext camelContext() {
        return main.getCamelContext();
    }

    public long count(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Rows of a query as column-name → text maps, in order. */
    public List<Map<String, String>> rows(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, String>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    public void sendUdp(String line) throws IOException {
        sendUdp(line.getBytes(StandardCharsets.UTF_8));
    }

    public void sendUdp(byte[] datagram) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), udpPort));
        }
    }

    /** Opens a TCP connection to the syslog listener; each write is flushed as its own segment. */
    public Socket openTcp() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcpPort);
        socket.setTcpNoDelay(true);
        return socket;
    }

    public static void write(Socket socket, String text) throws IOException {
        write(socket, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** An RFC 6587 octet-counted frame. */
    public static String octetCounted(String message) {
        return message.getBytes(StandardCharsets.UTF_8).length + " " + message;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET on the management port with the management login. */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                        .header("Authorization", basic(MANAGEMENT_USER, MANAGEMENT_PASSWORD)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Any HTTP request; {@code headers} are name, value pairs. */
    public HttpResponse<byte[]> http(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs SQL that changes data (test set-up such as back-dated rows). */
    public void execute(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        }
    }

    /** The value of one Prometheus sample line, e.g. {@code activedefense_log_lines_stored_total}. */
    public double metric(String nameWithLabels) throws IOException, InterruptedException {
        String body = management("/observe/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameWithLabels) + " (\\S+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Override
    public void close() {
        main.stop();
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
