package org.activedefense.process;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar run the way docker/Dockerfile starts it, with the environment docker/compose.yaml gives
 * it, without a Docker engine: the Dockerfile's COPY instructions lay out an image root under
 * target/it-data, its ENTRYPOINT and CMD run in its WORKDIR with its ENV plus the compose service's
 * environment (nothing else inherited), readiness is the Dockerfile's own HEALTHCHECK command, and
 * compose's PostgreSQL and mail catcher are stood in for by a real PostgreSQL (created with the
 * compose service's POSTGRES_* settings) and GreenMail. Only what a container runtime would change
 * is changed: host paths for image paths, the test JVM for `java`, free ports for fixed ones, and
 * 127.0.0.1 for the compose service names.
 */
class DockerImageIT {

    private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
    private static final Path COMPOSE = Path.of("docker", "compose.yaml");
    private static final String SERVICE = "active-defense";
    private static final String SCANNER = "45.155.205.10";
    private static final Pattern JDBC_HOST = Pattern.compile("//([A-Za-z0-9_.-]+):(\\d+)/");

    @Test
    void theImageCommandRunsTheServiceWithTheComposeEnvironment() throws Exception {
        Dockerfile image = Dockerfile.read(DOCKERFILE);
        ComposeFile compose = ComposeFile.read(COMPOSE);
        Properties defaults = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            defaults.load(in);
        }
        Path root = ServiceProcess.workDirOf("docker-image");
        ServiceProcess.deleteRecursively(root);
        layOutImage(image, root);
        Path workDir = inImage(root, image.workdir());

        Map<String, String> postgresEnv = compose.environment("postgres");
        Path pgData = ServiceProcess.workDirOf("docker-image-postgres");
        ServiceProcess.deleteRecursively(pgData);
        GreenMail mail = new GreenMail(new ServerSetup(ServiceProcess.freeTcpPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        // Failsafe's class path holds the shaded jar and the binaries' own jar: take the first copy.
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(pgData)
                .setPgBinaryResolver((system, machine) -> DockerImageIT.class.getClassLoader()
                        .getResourceAsStream(("postgres-" + system + "-" + machine + ".txz").toLowerCase(Locale.ROOT)))
                .setCleanDataDirectory(true).setPort(ServiceProcess.freeTcpPort()).start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE \"" + postgresEnv.get("POSTGRES_USER") + "\" LOGIN PASSWORD '"
                        + postgresEnv.get("POSTGRES_PASSWORD").replace("'", "''") + "'");
                st.execute("CREATE DATABASE \"" + postgresEnv.get("POSTGRES_DB") + "\" OWNER \""
                        + postgresEnv.get("POSTGRES_USER") + "\"");
            }

            // What the container sees: the image's ENV, then the compose service's environment.
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("HOME", workDir.toString());
            env.putAll(image.env());
            Map<String, String> composeEnv = compose.environment(SERVICE);
            env.putAll(composeEnv);

            // Compose service names become the stand-ins on 127.0.0.1.
            Matcher db = JDBC_HOST.matcher(composeEnv.get("DB_URL"));
            assertTrue(db.find(), "DB_URL names host:port: " + composeEnv.get("DB_URL"));
            assertTrue(compose.services().containsKey(db.group(1)), "DB_URL's host is a compose service: " + db.group(1));
            env.put("DB_URL", db.replaceFirst("//127.0.0.1:" + postgres.getPort() + "/"));
            assertTrue(compose.services().containsKey(composeEnv.get("MAIL_SMTP_HOST")),
                    "MAIL_SMTP_HOST is a compose service: " + composeEnv.get("MAIL_SMTP_HOST"));
            env.put("MAIL_SMTP_HOST", "127.0.0.1");
            env.put("MAIL_SMTP_PORT", String.valueOf(mail.getSmtp().getPort()));

            // Free ports for every port property with a fixed default (a container has its own).
            Map<String, String> ports = new LinkedHashMap<>();
            for (String key : defaults.stringPropertyNames()) {
                String value = defaults.getProperty(key).strip();
                if (key.endsWith(".port") && value.matches("[1-9][0-9]*") && !key.startsWith("mail.smtp.")) {
                    ports.put(key, String.valueOf(ServiceProcess.freeTcpPort()));
                }
            }
            ports.forEach((k, v) -> env.put(environmentName(k), v));
            String httpPort = ports.get("http.port");
            // HEALTH_URL names the default of one of the port properties (http.port, or a management
            // port): point it at that property's free port.
            String healthUrl = image.env().get("HEALTH_URL");
            Matcher hp = Pattern.compile("://[^/:]+:(\\d+)/").matcher(healthUrl);
            assertTrue(hp.find(), "HEALTH_URL names a port: " + healthUrl);
            String healthProperty = ports.keySet().stream()
                    .filter(k -> defaults.getProperty(k).strip().equals(hp.group(1))).findFirst()
                    .orElseThrow(() -> new AssertionError("HEALTH_URL's port " + hp.group(1)
                            + " is the default of no port property in application.properties"));
            env.put("HEALTH_URL", healthUrl.replace(":" + hp.group(1) + "/", ":" + ports.get(healthProperty) + "/"));
            // What an operator adds with -e / .env; kept small for a shared test machine.
            String adminPassword = "image-it-admin-password";
            env.put("ADMIN_PASSWORD", adminPassword);
            env.put("SYSLOG_BIND_ADDRESS", "127.0.0.1");
            env.put("DETECT_CRON", "0 0 0 1 1 ? 2099");
            env.put("JAVA_TOOL_OPTIONS", "-Xmx512m");

            List<String> command = inHost(root, image.command());
            assertEquals("java", image.command().get(0), "the image starts java from its PATH");
            command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // The jar the image copies is the one the build made.
            assertEquals(Files.size(ServiceProcess.jar()), Files.size(Path.of(command.get(command.size() - 1))));

            List<String> healthcheck = inHost(root, image.healthcheck());
            Map<String, String> props = Map.of("http.port", httpPort);
            try (ServiceProcess service = ServiceProcess.startCommand(workDir, command, env, props,
                    s -> runs(healthcheck, workDir, env) == 0)) {
                assertEquals(200, service.get("/files/blacklist.txt").statusCode());

                // A syslog line over UDP lands in compose's PostgreSQL (so DB_URL/DB_USER/DB_PASSWORD took effect).
                try (DatagramSocket udp = new DatagramSocket()) {
                    byte[] line = syslog(SCANNER, 22).getBytes(StandardCharsets.UTF_8);
                    udp.send(new DatagramPacket(line, line.length, InetAddress.getLoopbackAddress(),
                            Integer.parseInt(ports.get("syslog.udp.port"))));
                }
                String jdbc = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + postgresEnv.get("POSTGRES_DB");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertEquals(1, count(jdbc, postgresEnv, "SELECT count(*) FROM firewall_log WHERE src_ip = '" + SCANNER + "'")));

                // A port scan over TCP, a detection run, the EDL and the digest mail to compose's MAIL_TO.
                try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(ports.get("syslog.tcp.port")));
                     OutputStream out = socket.getOutputStream()) {
                    for (int port = 1; port <= 11; port++) {
                        out.write(syslog(SCANNER, port).getBytes(StandardCharsets.UTF_8));
                    }
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertEquals(12, count(jdbc, postgresEnv, "SELECT count(*) FROM firewall_log WHERE src_ip = '" + SCANNER + "'")));
                HttpRequest run = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/detection/run"))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                ("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build();
                HttpResponse<String> answer = HttpClient.newHttpClient().send(run, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
                assertTrue(service.get("/files/blacklist.txt").body().lines().anyMatch(SCANNER::equals));
                assertTrue(mail.waitForIncomingEmail(30_000, 1), "the digest mail reached the SMTP host from compose");
                MimeMessage digest = mail.getReceivedMessages()[0];
                assertEquals(composeEnv.get("MAIL_TO"), digest.getAllRecipients()[0].toString());
                assertTrue(((String) digest.getContent()).contains(SCANNER), "the digest names the scanner");

                // docker stop: SIGTERM (STOPSIGNAL), then a clean exit within compose's stop_grace_period.
                assertEquals("SIGTERM", image.last("STOPSIGNAL"));
                assertEquals(143, service.terminate(Duration.ofSeconds(60)), "exit code after SIGTERM");
                assertTrue(runs(healthcheck, workDir, env) != 0, "the HEALTHCHECK fails once the service is gone");
            }
        } finally {
            mail.stop();
        }
    }

    /** Copies what the Dockerfile's COPY instructions copy, to the same paths under {@code root}. */
    private static void layOutImage(Dockerfile image, Path root) throws IOException {
        String workdir = image.workdir();
        for (List<String> copy : image.copies()) {
            String dest = copy.get(copy.size() - 1);
            String absolute = dest.startsWith("/") ? dest : workdir + "/" + dest;
            for (String source : copy.subList(0, copy.size() - 1)) {
                Path from = Path.of(source);
                Path to = inImage(root, absolute);
                if (Files.isDirectory(from)) {
                    ServiceProcess.copyRecursively(from, to);
                } else {
                    Path target = absolute.endsWith("/") ? to.resolve(from.getFileName()) : to;
                    Files.createDirectories(target.getParent());
                    Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        for (String volume : image.volumes()) {
            Files.createDirectories(inImage(root, volume));
        }
    }

    private static Path inImage(Path root, String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** Image paths in a command line become the laid-out host paths. */
    private static List<String> inHost(Path root, List<String> command) {
        List<String> out = new ArrayList<>();
        for (String arg : command) {
            out.add(arg.startsWith("/") && Files.exists(inImage(root, arg)) ? inImage(root, arg).toString() : arg);
        }
        return out;
    }

    private static int runs(List<String> command, Path workDir, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the HEALTHCHECK " + command + " (is curl installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long count(String jdbc, Map<String, String> postgresEnv, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, postgresEnv.get("POSTGRES_USER"), postgresEnv.get("POSTGRES_PASSWORD"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String syslog(String source, int port) {
        return "<14>Nov 22 10:00:00 fw1 1,2026/11/22 10:00:00,007200001056,TRAFFIC,drop,2561,"
                + "2026/11/22 10:00:00," + source + ",198.51.100.10,0.0.0.0,0.0.0.0,interzone-default,,,not-applicable,"
                + "vsys1,untrust,trust,ethernet1/1,,fwd,2026/11/22 10:00:00,1,1,40000," + port + ",0,0,0x0,tcp,deny\n";
    }

    /** The environment variable camel-main reads for a property: upper case, '.' and '-' as '_'. */
    static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }



}
