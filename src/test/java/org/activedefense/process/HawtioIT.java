package org.activedefense.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented Hawtio command works: the launcher (hawtio/pom.xml) is built, started against the
 * service's management port with the login the service generated, its proxy lists the routes, and
 * the Camel routes page shows them in a real browser (screenshot under target/screenshots/).
 */
class HawtioIT {

    @Test
    void hawtioShowsTheServicesRoutes() throws Exception {
        Path launcher = buildLauncher();
        Map<String, String> props = ServiceProcess.prepare("hawtio", Map.of());
        try (ServiceProcess service = ServiceProcess.start("hawtio", props)) {
            int hawtioPort = ServiceProcess.freeTcpPort();
            String managementPort = props.get("management.port");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m",
                    "-Dhawtio.port=" + hawtioPort,
                    "-Djolokia.url=http://127.0.0.1:" + managementPort + "/observe/jolokia",
                    "-jar", launcher.toString());
            Path log = service.workDir.resolve("hawtio.log");
            // started from the service's folder, so it finds data/management-users.properties as an operator's would
            Process hawtio = new ProcessBuilder(command).directory(service.workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    if (!hawtio.isAlive()) {
                        throw new IllegalStateException("Hawtio exited: " + Files.readString(log));
                    }
                    return Files.readString(log).contains("Hawtio for ActiveDefense:");
                });

                // Hawtio's proxy reaches the service's Jolokia with the login the launcher holds
                String proxy = "http://127.0.0.1:" + hawtioPort + "/hawtio/proxy/http/127.0.0.1/" + managementPort + "/observe/jolokia";
                HttpResponse<String> routes = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                        HttpRequest.newBuilder(URI.create(proxy)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, routes.statusCode(), routes.body());
                for (String id : List.of("serve-edl", "ingest-syslog-udp", "ingest-syslog-tcp", "detect-attackers")) {
                    assertTrue(routes.body().contains(id), id + " in " + routes.body());
                }

                screenshotRoutesPage(hawtioPort);
            } finally {
                hawtio.destroy();
                hawtio.waitFor();
            }
        }
    }

    private static void screenshotRoutesPage(int hawtioPort) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        Path profile = Files.createTempDirectory("hawtio-chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(driverService, options);
        try {
            browser.get("http://127.0.0.1:" + hawtioPort + "/");
            // the landing page stores the connection and opens the Camel routes of the service
            new WebDriverWait(browser, Duration.ofSeconds(90)).until(d ->
                    d.getCurrentUrl().contains("/hawtio/camel") && d.findElements(By.xpath("//*[contains(text(),'serve-edl')]")).size() > 0);
            assertTrue(browser.getPageSource().contains("ingest-syslog-udp"));
            // the routes folder of the tree opens the routes table (state, exchanges) of the context
            browser.findElement(By.xpath("//*[normalize-space(text())='routes']")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().contains("/camel/routes"));
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                    d.findElements(By.xpath("//table//*[contains(text(),'serve-edl')]")).size() > 0);
            Path shot = Path.of("target", "screenshots", "hawtio-camel-routes.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
            driverService.stop();
        }
    }

    /** Builds hawtio/ with the Maven that runs this build: offline first, then with Maven Central. */
    private static Path buildLauncher() throws Exception {
        String mavenHome = System.getProperty("maven.home");
        String mvn = mavenHome == null || mavenHome.isBlank() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
        Path log = Path.of("target", "hawtio-build.log").toAbsolutePath();
        int exit = 1;
        for (boolean offline : new boolean[] {true, false}) {
            List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q", "-f", "hawtio/pom.xml", "package"));
            if (offline) {
                command.add(1, "-o");
            }
            Process build = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(build.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "hawtio build took over 5 minutes");
            exit = build.exitValue();
            if (exit == 0) {
                break;
            }
        }
        assertEquals(0, exit, Files.readString(log));
        Path jar = Path.of("hawtio", "target", "active-defense-hawtio.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " missing");
        return jar;
    }
}
