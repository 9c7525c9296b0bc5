package org.activedefense.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The shaded jar run as its own process, the way an operator (or the Docker image, or systemd)
 * starts it: {@code java -jar active-defense.jar} from a folder holding {@code routes/} and
 * {@code application.properties}. For tests that need a real process: SIGTERM, kill -9, two nodes.
 */
public final class ServiceProcess implements AutoCloseable {

    /** Logged by Camel's supervising route controller once it has started (or tried) every route. */
    static final String ROUTES_STARTED = "DefaultSupervisingRouteController - Routes startup (";

    public final Path workDir;
    public final Map<String, String> properties;
    private final Process process;
    /** Where this process's output starts in service.log (a restart in the same folder appends). */
    private final long logStart;

    private ServiceProcess(Path workDir, Map<String, String> properties, Process process, long logStart) {
        this.workDir = workDir;
        this.properties = properties;
        this.process = process;
        this.logStart = logStart;
    }

    /** The jar built by {@code mvn package}; failsafe passes its path. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("active-defense.jar", "target/active-defense.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the process tests with mvn verify");
        }
        return jar;
    }

    /**
     * A fresh working folder under target/it-data/{name} with copies of routes/ and
     * application.properties, and the properties every test needs (free ports, embedded
     * PostgreSQL inside the folder, detection schedule out of the way) under {@code overrides}.
     */
    public static Map<String, String> prepare(String name, Map<String, String> overrides) throws IOException {
        Path dir = workDirOf(name);
        deleteRecursively(dir);
        Files.createDirectories(dir);
        copyRecursively(Path.of("routes"), dir.resolve("routes"));
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("syslog.bind-address", "127.0.0.1");
        props.put("syslog.udp.port", String.valueOf(freeTcpPort()));
        props.put("syslog.tcp.port", String.valueOf(freeTcpPort()));
        props.put("http.port", String.valueOf(freeTcpPort()));
        // management.password stays unset: the service generates one into data/ as on a first install
        props.put("management.port", String.valueOf(freeTcpPort()));
        props.put("https.port", String.valueOf(freeTcpPort()));
        props.put("syslog.tls.port", String.valueOf(freeTcpPort()));
        props.put("db.embedded.port", String.valueOf(freeTcpPort()));
        props.put("db.embedded.shared-buffers", "32MB");
        props.put("detect.cron", "0 0 0 1 1 ? 2099");
        props.putAll(overrides);
        return props;
    }

    public static Path workDirOf(String name) {
        return Path.of("target", "it-data", name).toAbsolutePath();
    }

    /** Starts the jar in the prepared folder and waits until Camel has started and health answers. */
    public static ServiceProcess start(String name, Map<String, String> properties) throws IOException {
        return start(name, properties, List.of("-Xmx512m"));
    }

    /** As {@link #start(String, Map)}, with these JVM options (e.g. a small -Xmx). */
    public static ServiceProcess start(String name, Map<String, String> properties, List<String> jvmOptions)
            throws IOException {
        Path dir = workDirOf(name);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile()));
        Path logFile = dir.resolve("service.log");
        long logStart = Files.exists(logFile) ? Files.readString(logFile).length() : 0;
        ServiceProcess service = new ServiceProcess(dir, properties, builder.start(), logStart);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!service.process.isAlive()) {
                throw new IllegalStateException("the service exited with " + service.process.exitValue()
                        + "; its log:\n" + service.log());
            }
            // Health can answer before the last route has started, so wait for Camel's own lines too: the
            // supervising route controller starts the routes after "started in" and then logs the summary.
            String own = service.ownLog();
            if (!own.contains("(active-defense) started in") || !own.contains(ROUTES_STARTED)) {
                return false;
            }
            try {
                return service.get("/observe/health").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return service;
    }

    /**
     * Starts {@code command} in {@code workDir} with exactly {@code environment} (nothing inherited
     * from the test's own environment, as a container runtime or systemd starts a process), and
     * waits until Camel has started and {@code ready} answers true. {@code properties} name the
     * ports the service was given (at least {@code http.port}) for {@link #get}.
     */
    public static ServiceProcess startCommand(Path workDir, List<String> command, Map<String, String> environment,
                                              Map<String, String> properties,
                                              java.util.function.Predicate<ServiceProcess> ready) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("service.log").toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        Path logFile = workDir.resolve("service.log");
        long logStart = Files.exists(logFile) ? Files.readString(logFile).length() : 0;
        ServiceProcess service = new ServiceProcess(workDir, properties, builder.start(), logStart);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!service.process.isAlive()) {
                throw new IllegalStateException("the service exited with " + service.process.exitValue()
                        + "; its log:\n" + service.log());
            }
            String own = service.ownLog();
            return own.contains("(active-defense) started in") && own.contains(ROUTES_STARTED) && ready.test(service);
        });
        return service;
    }

    /** A JDBC connection to the service's embedded PostgreSQL (test set-up and checks). */
    public java.sql.Connection database() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + properties.get("db.embedded.port") + "/postgres", "postgres", "");
    }

    public int httpPort() {
        return Integer.parseInt(properties.get("http.port"));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as systemd and docker stop send it; waits for the exit and returns its code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the service did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String log() throws IOException {
        Path log = workDir.resolve("service.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** What this process wrote to service.log (not what an earlier run in the same folder wrote). */
    public String ownLog() throws IOException {
        String all = log();
        return all.length() >= logStart ? all.substring((int) logStart) : all;
    }

    /** JDBC URL of the embedded PostgreSQL of a prepared folder (user postgres, no password). */
    public static String embeddedJdbcUrl(Map<String, String> properties) {
        return "jdbc:postgresql://localhost:" + properties.get("db.embedded.port") + "/postgres";
    }

    /**
     * The embedded PostgreSQL of a folder still running after its service is gone (a kill -9 leaves
     * it: it is a process of its own), from its postmaster.pid.
     */
    public static java.util.Optional<ProcessHandle> leftoverPostgres(String name) throws IOException {
        Path pidFile = workDirOf(name).resolve("data").resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return java.util.Optional.empty();
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /** Stops what a kill -9 left running (the test's clean-up; the service does the same on start). */
    public static void stopLeftoverPostgres(String name) throws Exception {
        java.util.Optional<ProcessHandle> pg = leftoverPostgres(name);
        if (pg.isPresent()) {
            pg.get().destroy();
            pg.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A GET on the management port with the login the service generated on its first start. */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        String password = null;
        for (String line : Files.readAllLines(workDir.resolve("data/management-users.properties"))) {
            if (line.startsWith("user.monitor")) {
                password = line.substring(line.indexOf('=') + 1).trim().split(",")[0];
            }
        }
        return management(path, password);
    }

    /** A GET on the management port ({@code management.port} of the properties) as {@code monitor}. */
    public HttpResponse<String> management(String path, String password) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + properties.get("management.port") + path))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("monitor:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate(Duration.ofSeconds(60));
        }
    }

    public static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Copies a folder tree, keeping file attributes (an executable script stays executable). */
    static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
