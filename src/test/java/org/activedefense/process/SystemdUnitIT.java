package org.activedefense.process;

import java.io.IOException;
import java.io.OutputStream;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar run the way packaging/systemd/active-defense.service starts it, without systemd: the
 * install layout of docs/operations.md under target/it-data (WorkingDirectory with the jar,
 * routes/ and application.properties, data/, the site file that ACTIVE_DEFENSE_CONFIG names), the
 * unit's ExecStart and Environment lines, nothing else inherited. Only what a drop-in would change
 * is changed: free ports instead of 514 and the other fixed ones. The site file's admin password
 * must take effect, and a SIGTERM stop must end with an exit code the unit counts as success.
 */
class SystemdUnitIT {

    private static final Path UNIT = Path.of("packaging", "systemd", "active-defense.service");

    @Test
    void theUnitsCommandRunsTheServiceFromItsInstallLayout() throws Exception {
        Map<String, String> unit = new LinkedHashMap<>();
        Map<String, String> unitEnv = new LinkedHashMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            int eq = line.indexOf('=');
            if (line.startsWith("#") || line.startsWith("[") || eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.equals("Environment")) {
                for (String pair : value.split("\\s+")) {
                    unitEnv.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            } else {
                unit.put(key, value);
            }
        }
        Path root = ServiceProcess.workDirOf("systemd-unit");
        ServiceProcess.deleteRecursively(root);
        Path workDir = inRoot(root, unit.get("WorkingDirectory"));
        // docs/operations.md, "Deploy with systemd": jar, application.properties, routes/, data/.
        Files.createDirectories(workDir);
        Files.copy(ServiceProcess.jar(), workDir.resolve("active-defense.jar"));
        Files.copy(Path.of("application.properties"), workDir.resolve("application.properties"));
        ServiceProcess.copyRecursively(Path.of("routes"), workDir.resolve("routes"));
        Files.createDirectories(inRoot(root, unit.get("ReadWritePaths")));
        String adminPassword = "unit-it-site-file-password";
        Path siteFile = inRoot(root, unitEnv.get("ACTIVE_DEFENSE_CONFIG"));
        Files.createDirectories(siteFile.getParent());
        Files.writeString(siteFile, "# site settings and secrets\nadmin.password = " + adminPassword + "\n");

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.putAll(unitEnv);
        env.put("ACTIVE_DEFENSE_CONFIG", siteFile.toString());
        Properties defaults = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            defaults.load(in);
        }
        Map<String, String> ports = new LinkedHashMap<>();
        for (String key : defaults.stringPropertyNames()) {
            String value = defaults.getProperty(key).strip();
            if (key.endsWith(".port") && value.matches("[1-9][0-9]*") && !key.startsWith("mail.smtp.")) {
                ports.put(key, String.valueOf(ServiceProcess.freeTcpPort()));
            }
        }
        ports.forEach((k, v) -> env.put(k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), v));
        env.put("SYSLOG_BIND_ADDRESS", "127.0.0.1");
        env.put("DETECT_CRON", "0 0 0 1 1 ? 2099");
        env.put("DB_EMBEDDED_SHARED_BUFFERS", "32MB");
        env.put("MANAGEMENT_PASSWORD", "it-management-password");

        List<String> command = new ArrayList<>();
        for (String arg : unit.get("ExecStart").split("\\s+")) {
            command.add(arg.startsWith("/") && Files.exists(inRoot(root, arg)) ? inRoot(root, arg).toString() : arg);
        }
        assertTrue(command.get(0).endsWith("/java"), "ExecStart starts java: " + command.get(0));
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertTrue(command.contains(workDir.resolve("active-defense.jar").toString()), "ExecStart runs the installed jar: " + command);

        String httpPort = ports.get("http.port");
        try (ServiceProcess service = ServiceProcess.startCommand(workDir, command, env, Map.of("http.port", httpPort, "management.port", ports.get("management.port")),
                s -> healthy(s))) {
            try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(ports.get("syslog.tcp.port")));
                 OutputStream out = socket.getOutputStream()) {
                out.write(("<14>Nov 22 10:00:00 fw1 1,2026/11/22 10:00:00,007200001056,TRAFFIC,drop,2561,"
                        + "2026/11/22 10:00:00,45.155.205.10,198.51.100.1,0.0.0.0,0.0.0.0,interzone-default,,,not-applicable,"
                        + "vsys1,untrust,trust,ethernet1/1,,fwd,2026/11/22 10:00:00,1,1,5555,22,0,0,0x0,tcp,deny\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertTrue(service.management("/observe/metrics", "it-management-password").body().contains("activedefense_log_lines_stored_total 1.0")));
            assertTrue(Files.isDirectory(inRoot(root, unit.get("ReadWritePaths")).resolve("postgres")),
                    "the embedded PostgreSQL lives in the one writable folder");

            // The admin password came from the file ACTIVE_DEFENSE_CONFIG names.
            HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/blacklist"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(30)).build();
            assertEquals(200, HttpClient.newHttpClient().send(list, HttpResponse.BodyHandlers.ofString()).statusCode());

            int exit = service.terminate(Duration.ofSeconds(60));
            assertTrue(List.of(unit.get("SuccessExitStatus").split("\\s+")).contains(String.valueOf(exit)),
                    "systemd counts the SIGTERM exit code " + exit + " as success (SuccessExitStatus=" + unit.get("SuccessExitStatus") + ")");
        }
    }

    private static boolean healthy(ServiceProcess service) {
        try {
            return service.get("/observe/health").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path inRoot(Path root, String absolute) {
        return root.resolve(absolute.substring(1));
    }



}
