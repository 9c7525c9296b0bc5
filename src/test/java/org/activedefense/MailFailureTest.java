package org.activedefense;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

/** A mail the SMTP server will not take is retried, then kept in the outbox with the error; the run is not held up. */
class MailFailureTest {

    @Test
    void anUnreachableSmtpServerLeavesTheDigestInTheOutboxWithTheError() throws Exception {
        Path outbox = Path.of("target", "test-data", "mail-failure-outbox").toAbsolutePath();
        RunningService.deleteRecursively(outbox);
        int closedPort = RunningService.freeTcpPort(); // nothing listens there
        try (RunningService service = RunningService.start("mail-failure", Map.of(
                "admin.password", "mail-failure-password",
                "mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", String.valueOf(closedPort),
                "mail.retry.attempts", "2",
                "mail.retry.delay-ms", "2000",
                "mail.outbox-dir", outbox.toString()))) {
            service.sendUdp("<14>Nov 22 13:00:00 fw-m " + PanosLines.threat(Map.of(7, "89.248.165.20")));
            await().atMost(Duration.ofSeconds(20)).until(() -> service.count("SELECT count(*) FROM firewall_log") == 1);

            HttpResponse<byte[]> run = service.http("POST", "/api/detection/run", null,
                    "Authorization", RunningService.basic("admin", "mail-failure-password"));
            assertEquals(200, run.statusCode());
            // the run has answered while the mail is still being retried (2 s, then 4 s)
            assertEquals(List.of(), emlFiles(outbox));

            await().atMost(Duration.ofSeconds(30)).until(() -> emlFiles(outbox).size() == 1);
            try (InputStream in = Files.newInputStream(emlFiles(outbox).get(0))) {
                MimeMessage kept = new MimeMessage(Session.getInstance(new Properties()), in);
                assertEquals("[ActiveDefense] 1 new address blocked", kept.getSubject());
                assertNotNull(kept.getHeader("X-ActiveDefense-Error"), "the error is kept with the mail");
            }
        }
    }

    private static List<Path> emlFiles(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.toString().endsWith(".eml")).toList();
        }
    }
}
