package org.activedefense;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.activedefense.process.ComposeFile;
import org.activedefense.process.Dockerfile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/ and packaging/ agree with the tools that read them and with application.properties:
 * compose's own validator accepts the compose file, {@code systemd-analyze verify} accepts the
 * unit without a warning, and the ports, paths, variables and stop timeouts they name exist.
 * (DockerImageIT then runs the jar as the image does.) The tools are installed by .ci/run; on a
 * developer machine without them those two checks are skipped, on CI they fail.
 */
class PackagingFilesTest {

    private static final Path COMPOSE = Path.of("docker", "compose.yaml");
    private static final Path UNIT = Path.of("packaging", "systemd", "active-defense.service");
    /** Variables the service reads that are not properties. */
    private static final Set<String> NOT_PROPERTIES = Set.of("TZ", "JAVA_TOOL_OPTIONS", "ACTIVE_DEFENSE_CONFIG",
            "CAMEL_MAIN_PROFILE", "HEALTH_URL");

    @Test
    void composeValidatorAcceptsTheComposeFile() throws Exception {
        List<String> tool = tool(List.of("docker-compose"), List.of("docker", "compose"));
        List<String> command = new ArrayList<>(tool);
        command.addAll(List.of("-f", COMPOSE.toString(), "config", "--quiet"));
        Result result = run(command);
        assertEquals(0, result.exit, "compose rejects " + COMPOSE + ":\n" + result.output);
    }

    @Test
    void systemdAcceptsTheUnitWithoutWarnings() throws Exception {
        List<String> tool = tool(List.of("systemd-analyze"));
        List<String> command = new ArrayList<>(tool);
        command.addAll(List.of("verify", UNIT.toAbsolutePath().toString()));
        Result result = run(command);
        // Unknown keys and bad values are only warnings (exit 0): any output is a failure.
        assertEquals(0, result.exit, result.output);
        assertEquals("", result.output.strip(), "systemd-analyze verify complains");
    }

    @Test
    void imagePortsAndVolumesMatchTheServiceDefaults() throws IOException {
        Properties defaults = applicationProperties();
        Dockerfile image = Dockerfile.read(Path.of("docker", "Dockerfile"));
        List<String> exposed = image.exposed();
        assertTrue(exposed.contains(defaults.getProperty("syslog.udp.port") + "/udp"), "EXPOSE has syslog UDP: " + exposed);
        assertTrue(exposed.contains(defaults.getProperty("syslog.tcp.port") + "/tcp"), "EXPOSE has syslog TCP: " + exposed);
        assertTrue(exposed.contains(defaults.getProperty("http.port") + "/tcp"), "EXPOSE has HTTP: " + exposed);
        assertEquals(List.of(image.workdir() + "/data"), image.volumes(), "only data/ is a volume");
        assertTrue(image.last("USER") != null && !image.last("USER").startsWith("root") && !image.last("USER").equals("0"),
                "the image runs as a user of its own");
        assertEquals("SIGTERM", image.last("STOPSIGNAL"));

        ComposeFile compose = ComposeFile.read(COMPOSE);
        for (String port : compose.list("active-defense", "ports")) {
            String target = port.substring(port.lastIndexOf(':') + 1);
            assertTrue(exposed.contains(target.contains("/") ? target : target + "/tcp"),
                    "compose publishes " + port + ", which the image does not EXPOSE " + exposed);
        }
        List<String> ports = compose.list("active-defense", "ports");
        assertTrue(ports.contains("514:" + defaults.getProperty("syslog.udp.port") + "/udp"), "host 514/udp to syslog: " + ports);
        assertTrue(ports.contains("514:" + defaults.getProperty("syslog.tcp.port") + "/tcp"), "host 514/tcp to syslog: " + ports);
        assertTrue(compose.list("active-defense", "volumes").stream().anyMatch(v -> v.endsWith(":" + image.workdir() + "/data")),
                "compose keeps data/ in a named volume");
        long grace = seconds(String.valueOf(compose.service("active-defense").get("stop_grace_period")));
        long shutdown = Long.parseLong(defaults.getProperty("camel.main.shutdown-timeout"));
        assertTrue(grace > shutdown, "stop_grace_period " + grace + " s must exceed camel.main.shutdown-timeout " + shutdown + " s");
    }

    @Test
    void buildContextHoldsExactlyWhatTheImageCopies() throws IOException {
        List<String> allowed = Files.readAllLines(Path.of(".dockerignore")).stream()
                .map(String::strip).filter(l -> l.startsWith("!")).map(l -> l.substring(1)).sorted().toList();
        List<String> copied = Dockerfile.read(Path.of("docker", "Dockerfile")).copies().stream()
                .flatMap(c -> c.subList(0, c.size() - 1).stream()).sorted().toList();
        assertEquals(copied, allowed, ".dockerignore lets in exactly the Dockerfile's COPY sources");
        assertTrue(Files.readAllLines(Path.of(".dockerignore")).contains("*"), ".dockerignore starts from nothing");
    }

    @Test
    void everyVariableComposeAndSystemdSetIsAProperty() throws IOException {
        Map<String, String> byEnv = new LinkedHashMap<>();
        applicationProperties().stringPropertyNames().forEach(k -> byEnv.put(environmentName(k), k));
        List<String> unknown = new ArrayList<>();
        for (String name : ComposeFile.read(COMPOSE).environment("active-defense").keySet()) {
            if (!byEnv.containsKey(name) && !NOT_PROPERTIES.contains(name)) {
                unknown.add("compose: " + name);
            }
        }
        for (String name : unitEnvironment().keySet()) {
            if (!byEnv.containsKey(name) && !NOT_PROPERTIES.contains(name)) {
                unknown.add("systemd: " + name);
            }
        }
        assertEquals(List.of(), unknown, "variables that set no property of application.properties (a typo is silently ignored)");
    }

    @Test
    void systemdUnitWritesOnlyData() throws IOException {
        Map<String, String> unit = unitSettings();
        String workDir = unit.get("WorkingDirectory");
        assertEquals(workDir + "/data", unit.get("ReadWritePaths"), "the unit may write data/ and nothing else");
        assertEquals("strict", unit.get("ProtectSystem"));
        assertEquals("CAP_NET_BIND_SERVICE", unit.get("AmbientCapabilities"));
        assertTrue(unit.get("SuccessExitStatus").contains("143"), "a SIGTERM stop exits with 143");
        assertTrue(unit.get("ExecStart").contains("-jar " + workDir + "/active-defense.jar"), unit.get("ExecStart"));
        long shutdown = Long.parseLong(applicationProperties().getProperty("camel.main.shutdown-timeout"));
        assertTrue(seconds(unit.get("TimeoutStopSec")) > shutdown, "TimeoutStopSec must exceed camel.main.shutdown-timeout");
        assertEquals("514", unitEnvironment().get("SYSLOG_UDP_PORT"));
    }

    static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(in);
        }
        p.replaceAll((k, v) -> String.valueOf(v).strip());
        return p;
    }

    /** Key=value lines of the unit; later lines win, Environment= lines are gathered separately. */
    private static Map<String, String> unitSettings() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith("[") && eq > 0) {
                settings.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return settings;
    }

    private static Map<String, String> unitEnvironment() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            if (line.startsWith("Environment=")) {
                for (String pair : line.substring("Environment=".length()).split("\\s+")) {
                    int eq = pair.indexOf('=');
                    env.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return env;
    }

    private static long seconds(String duration) {
        String d = duration.strip();
        if (d.endsWith("min")) {
            return Long.parseLong(d.substring(0, d.length() - 3)) * 60;
        }
        if (d.endsWith("m")) {
            return Long.parseLong(d.substring(0, d.length() - 1)) * 60;
        }
        return Long.parseLong(d.endsWith("s") ? d.substring(0, d.length() - 1) : d);
    }

    /** The first of the candidate commands that runs here; skipped locally, a failure on CI. */
    @SafeVarargs
    private static List<String> tool(List<String>... candidates) {
        for (List<String> candidate : candidates) {
            List<String> probe = new ArrayList<>(candidate);
            probe.add(candidate.get(0).equals("systemd-analyze") ? "--version" : "version");
            try {
                if (run(probe).exit == 0) {
                    return candidate;
                }
            } catch (IOException | InterruptedException e) {
                // not installed: try the next
            }
        }
        String missing = String.join(" or ", java.util.Arrays.stream(candidates).map(c -> String.join(" ", c)).toList());
        if (System.getenv("CI") != null) {
            throw new AssertionError(missing + " is missing; .ci/run installs it");
        }
        Assumptions.abort(missing + " is not installed (apt-get install docker-compose systemd); skipped here, required on CI");
        return null;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
