package org.activedefense.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.activedefense.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console as the booted service serves it over real HTTP. */
class ConsoleServingTest {

    private static RunningService service;

    @BeforeAll
    static void boot() throws Exception {
        service = RunningService.start("console-serving", Map.of("admin.password", "console-serving-password"));
    }

    @AfterAll
    static void shutdown() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theConsoleIsServedWithItsTypesAndSecurityHeaders() throws Exception {
        HttpResponse<byte[]> index = service.http("GET", "/console/", null);
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", header(index, "Content-Type"));
        String html = new String(index.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<script type=\"module\" src=\"js/app.js\"></script>"), html);
        assertSecurityHeaders(index);

        HttpResponse<byte[]> script = service.http("GET", "/console/js/app.js", null);
        assertEquals(200, script.statusCode());
        assertEquals("text/javascript; charset=utf-8", header(script, "Content-Type"));
        assertSecurityHeaders(script);
        assertEquals("text/css; charset=utf-8", header(service.http("GET", "/console/css/console.css", null), "Content-Type"));

        String etag = header(script, "ETag");
        HttpResponse<byte[]> again = service.http("GET", "/console/js/app.js", null, "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertSecurityHeaders(again);
    }

    @Test
    void theRootRedirectsToTheConsole() throws Exception {
        HttpResponse<byte[]> root = service.http("GET", "/", null);
        assertEquals(302, root.statusCode());
        assertEquals("/console/", header(root, "Location"));
        HttpResponse<byte[]> bare = service.http("GET", "/console", null);
        assertEquals(302, bare.statusCode());
        assertEquals("/console/", header(bare, "Location"));
    }

    @Test
    void onlyTheConsolesOwnFilesAreServed() throws Exception {
        for (String path : new String[] {"/console/..%2f..%2fapplication.properties", "/console/js%2fapp.js", "/console/js/", "/console/missing.js", "/console/org/activedefense/Application.class",
            "/console/log4j2.properties", "/console/db/migration/V4__account.sql"}) {
            HttpResponse<byte[]> r = service.http("GET", path, null);
            assertEquals(404, r.statusCode(), path);
            assertSecurityHeaders(r);
        }
        // paths sent byte for byte as written, without any client normalising them first; the
        // server resolves some of them to a path outside /console/, which then is no console answer
        for (String path : new String[] {"/console/%2e%2e/%2e%2e/etc/passwd", "/console/%2e%2e/application.properties",
            "/console/../application.properties", "/console/js/../../routes/admin-console.camel.yaml",
            "/console/js\\..\\..\\application.properties", "/console//etc/passwd"}) {
            String answer = rawGet(path);
            assertFalse(answer.startsWith("HTTP/1.1 200"), path + " -> " + answer);
            assertFalse(answer.contains("camel.main") || answer.contains("root:"), path + " -> " + answer);
        }
        assertEquals(405, service.http("POST", "/console/index.html", "x").statusCode());
        assertEquals(405, service.http("DELETE", "/console/index.html", null).statusCode());
    }

    @Test
    void theEdlAndTheApiAreUntouched() throws Exception {
        assertEquals(200, service.http("GET", "/files/blacklist.txt", null).statusCode());
        assertEquals(401, service.http("GET", "/api/blacklist", null).statusCode());
    }

    private static String rawGet(String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.httpPort)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    private static void assertSecurityHeaders(HttpResponse<?> r) {
        assertEquals(ConsoleFiles.CONTENT_SECURITY_POLICY, header(r, "Content-Security-Policy"));
        assertEquals("nosniff", header(r, "X-Content-Type-Options"));
        assertEquals("no-referrer", header(r, "Referrer-Policy"));
        assertEquals("DENY", header(r, "X-Frame-Options"));
    }
}
