package org.activedefense.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The CSV export of 100,000 records (about 110 MB of CSV) from a service whose whole heap is
 * 96 MiB: it can only succeed if the rows are streamed from a database cursor to the socket.
 */
class CsvExportIT {

    private static final int ROWS = 100_000;

    @Test
    void aHundredThousandRowsStreamWithinASmallHeap() throws Exception {
        Map<String, String> props = ServiceProcess.prepare("csv-export", Map.of(
                "admin.password", "csv-export-password",
                "ingest.queue-capacity", "2000"));
        try (ServiceProcess service = ServiceProcess.start("csv-export", props, List.of("-Xmx96m"))) {
            try (Connection c = service.database(); Statement st = c.createStatement()) {
                // each row carries ~1 KB of rule name, so a buffered answer would need more than the heap
                st.execute("""
                        INSERT INTO firewall_log (received_at, device, sender, log_type, src_ip, dst_ip, dst_port, rule_name, action)
                        SELECT now() - make_interval(secs => g * 0.5), 'fw-export', '192.0.2.1', 'TRAFFIC',
                               CAST('45.155.' || (g % 250) || '.' || (g % 200 + 1) AS inet), '145.1.2.10', g % 65535,
                               CASE WHEN g % 2 = 0 THEN '=HYPERLINK(evil)' ELSE '@SUM(1)' END || repeat('x', 1000),
                               'deny'
                        FROM generate_series(1, ROW_COUNT) g""".replace("ROW_COUNT", String.valueOf(ROWS)));
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                            + "/api/records/export.csv?range=7d&device=fw-export"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "admin:csv-export-password".getBytes(StandardCharsets.UTF_8)))
                    .timeout(Duration.ofMinutes(5)).build();
            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Length").isEmpty(), "streamed, not sized in advance");
            long lines = 0;
            long bytes = 0;
            long unsafe = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String header = in.readLine();
                assertTrue(header.startsWith("receivedAt,"), header);
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines++;
                    bytes += line.length() + 2;
                    if (line.contains(",=HYPERLINK") || line.contains(",@SUM")) {
                        unsafe++;
                    }
                }
            }
            assertEquals(ROWS, lines);
            assertTrue(bytes > 100_000_000L, "the export is larger than the service's heap: " + bytes);
            assertEquals(0, unsafe, "every formula cell is neutralised");
            assertTrue(service.isAlive());
            assertTrue(!service.log().contains("OutOfMemoryError"), "no OutOfMemoryError");
            assertEquals(200, service.get("/files/blacklist.txt").statusCode());
        }
    }
}
