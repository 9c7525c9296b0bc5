package org.activedefense.process;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar starts from a folder with routes/ and application.properties, works, and stops on SIGTERM. */
class JarStartIT {

    @Test
    void theJarRunsAsAnOperatorStartsIt() throws Exception {
        Map<String, String> props = ServiceProcess.prepare("jar-start", Map.of("admin.password", "it-admin-password"));
        try (ServiceProcess service = ServiceProcess.start("jar-start", props)) {
            assertEquals(200, service.get("/files/blacklist.txt").statusCode());
            assertEquals(401, service.get("/api/blacklist").statusCode());
            try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(props.get("syslog.tcp.port")));
                 OutputStream out = socket.getOutputStream()) {
                out.write(("<14>Nov 22 10:00:00 fw1 1,2026/11/22 10:00:00,007200001056,TRAFFIC,end,2561,"
                        + "2026/11/22 10:00:00,203.0.113.9,198.51.100.1,0.0.0.0,0.0.0.0,deny-all,,,not-applicable,"
                        + "vsys1,untrust,trust,ethernet1/1,,fwd,2026/11/22 10:00:00,1,1,5555,22,0,0,0x0,tcp,deny\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertTrue(service.management("/observe/metrics").body()
                            .contains("activedefense_log_lines_stored_total 1.0")));
            // the management login was generated on first start, printed once, and works
            assertTrue(service.log().contains("Generated the management port login 'monitor'"), service.log());
            assertEquals(404, service.get("/observe/metrics").statusCode(), "metrics are not on the main port");
            // 143 = 128 + SIGTERM: the JVM's exit code after its shutdown hooks ran (systemd's
            // SuccessExitStatus=143 and Docker both treat it as a clean stop).
            assertEquals(143, service.terminate(Duration.ofSeconds(60)), "exit code after SIGTERM");
            assertTrue(service.log().contains("Log batch writer stopped; nothing left unwritten"), service.log());
        }
    }
}
