package org.activedefense.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The shaded jar carries the console and serves it with its security headers. */
class ConsoleJarIT {

    @Test
    void theJarServesTheConsole() throws Exception {
        Map<String, String> props = ServiceProcess.prepare("console-jar", Map.of("admin.password", "it-console-password"));
        try (ServiceProcess service = ServiceProcess.start("console-jar", props)) {
            HttpResponse<String> index = service.get("/console/");
            assertEquals(200, index.statusCode(), () -> "answer: " + index.headers().map() + " " + index.body()
                    + "\nservice log:\n" + logOf(service));
            assertTrue(index.body().contains("js/app.js"), index.body());
            assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
            HttpResponse<String> script = service.get("/console/js/pages/records.js");
            assertEquals(200, script.statusCode());
            assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("Content-Type").orElse(""));
            assertEquals(404, service.get("/console/log4j2.properties").statusCode());
            HttpResponse<String> root = service.get("/");
            assertEquals(302, root.statusCode());
            assertEquals("/console/", root.headers().firstValue("Location").orElse(""));
        }
    }

    private static String logOf(ServiceProcess service) {
        try {
            return service.log();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
