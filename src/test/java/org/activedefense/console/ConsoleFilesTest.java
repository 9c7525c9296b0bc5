package org.activedefense.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.activedefense.console.ConsoleFiles.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The console's file server: only its own files, with the right types, validators and headers. */
class ConsoleFilesTest {

    private final ConsoleFiles files = new ConsoleFiles(Map.of(
            "index.html", bytes("<!DOCTYPE html><title>x</title>"),
            "js/app.js", bytes("export const a = 1;"),
            "css/console.css", bytes("body{}"),
            "icon.svg", bytes("<svg/>"),
            "notes.bak", bytes("secret")));

    @Test
    void servesEachFileWithItsContentTypeAndTheSecurityHeaders() {
        assertServed("/console/", "text/html; charset=utf-8", "<!DOCTYPE html><title>x</title>");
        assertServed("/console/index.html", "text/html; charset=utf-8", "<!DOCTYPE html><title>x</title>");
        assertServed("/console/js/app.js", "text/javascript; charset=utf-8", "export const a = 1;");
        assertServed("/console/css/console.css?v=2", "text/css; charset=utf-8", "body{}");
        assertServed("/console/icon.svg", "image/svg+xml", "<svg/>");
    }

    @Test
    void theSiteRootAndTheBareMountRedirectIntoTheConsole() {
        for (String uri : new String[] {"/", "/console", "/?x=1"}) {
            Response r = files.serve(uri, false, null);
            assertEquals(302, r.status(), uri);
            assertEquals("/console/", r.headers().get("Location"));
            assertSecurityHeaders(r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/console/../application.properties",
        "/console/js/../index.html",
        "/console/..%2findex.html",
        "/console/%2e%2e/%2e%2e/etc/passwd",
        "/console/%2E%2E%2Fetc%2Fpasswd",
        "/console/js%2fapp.js",
        "/console/js%5capp.js",
        "/console/js\\app.js",
        "/console//etc/passwd",
        "/console/js//app.js",
        "/console/./index.html",
        "/console/index.html%00.js",
        "/console/%c0%ae%c0%ae/index.html",
        "/console/C:/windows/win.ini",
        "/console/file:/etc/passwd",
        "/console/js/",
        "/console/js",
        "/console/.hidden",
        "/console/notes.bak",
        "/console/missing.js",
        "/consolex/index.html",
        "/etc/passwd",
        "/console/org/activedefense/console/ConsoleFiles.class",
        "/console/db/migration/V1__firewall_log.sql",
        "",
    })
    void refusesAnythingButItsOwnFiles(String uri) {
        Response r = files.serve(uri, false, null);
        assertEquals(404, r.status(), uri);
        assertSecurityHeaders(r);
        assertTrue(!new String(r.body(), StandardCharsets.UTF_8).contains("secret"));
    }

    @Test
    void aMatchingEtagGets304AndHeadGetsNoBody() {
        Response first = files.serve("/console/js/app.js", false, null);
        String etag = first.headers().get("ETag");
        assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
        assertEquals("no-cache", first.headers().get("Cache-Control"));

        Response again = files.serve("/console/js/app.js", false, etag);
        assertEquals(304, again.status());
        assertEquals(0, again.body().length);
        assertSecurityHeaders(again);
        assertEquals(304, files.serve("/console/js/app.js", false, "\"other\", W/" + etag).status());
        assertEquals(200, files.serve("/console/js/app.js", false, "\"other\"").status());
        assertNotEquals(etag, files.serve("/console/index.html", false, null).headers().get("ETag"));

        Response head = files.serve("/console/js/app.js", true, null);
        assertEquals(200, head.status());
        assertEquals(0, head.body().length);
        assertEquals(String.valueOf("export const a = 1;".length()), head.headers().get("Content-Length"));
    }

    @Test
    void thePackagedConsoleHasItsPagesAndNothingElse() {
        ConsoleFiles packaged = ConsoleFiles.fromClasspath(getClass().getClassLoader(), "console/");
        assertTrue(packaged.names().containsAll(java.util.List.of("index.html", "js/app.js", "css/console.css")),
                packaged.names().toString());
        for (String name : packaged.names()) {
            assertEquals(200, packaged.serve("/console/" + name, false, null).status(), name);
            assertTrue(ConsoleFiles.contentType(name) != null, name);
        }
    }

    @Test
    void readsTheConsoleFromAJarAsPackaged(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path jar = dir.resolve("packaged.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar))) {
            for (String[] entry : new String[][] {{"console/", null}, {"console/index.html", "<html>"},
                {"console/js/", null}, {"console/js/app.js", "1;"}, {"other/secret.txt", "secret"}}) {
                out.putNextEntry(new java.util.jar.JarEntry(entry[0]));
                if (entry[1] != null) {
                    out.write(bytes(entry[1]));
                }
                out.closeEntry();
            }
        }
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            ConsoleFiles packaged = ConsoleFiles.fromClasspath(loader, "console/");
            assertEquals(java.util.Set.of("index.html", "js/app.js"), packaged.names());
            assertArrayEquals(bytes("1;"), packaged.serve("/console/js/app.js", false, null).body());
            assertEquals(404, packaged.serve("/console/js", false, null).status());
            assertEquals(404, packaged.serve("/console/../other/secret.txt", false, null).status());
        }
    }

    private void assertServed(String uri, String contentType, String body) {
        Response r = files.serve(uri, false, null);
        assertEquals(200, r.status(), uri);
        assertEquals(contentType, r.headers().get("Content-Type"));
        assertArrayEquals(bytes(body), r.body());
        assertSecurityHeaders(r);
    }

    private static void assertSecurityHeaders(Response r) {
        assertEquals("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
                r.headers().get("Content-Security-Policy"));
        assertEquals("nosniff", r.headers().get("X-Content-Type-Options"));
        assertEquals("no-referrer", r.headers().get("Referrer-Policy"));
        assertEquals("DENY", r.headers().get("X-Frame-Options"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
