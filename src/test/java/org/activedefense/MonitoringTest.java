package org.activedefense;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The management port: its login, metrics, health and Jolokia with the shipped access policy. */
class MonitoringTest {

    static RunningService service;

    @BeforeAll
    static void boot() throws Exception {
        service = RunningService.start("monitoring", Map.of());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    HttpResponse<String> managementWithout(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.managementPort + path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void managementPortNeedsTheLogin() throws Exception {
        for (String path : new String[] {"/observe/metrics", "/observe/jolokia/version", "/observe/health"}) {
            assertEquals(401, managementWithout(path, null).statusCode(), path);
            assertEquals(401, managementWithout(path, RunningService.basic("monitor", "wrong")).statusCode(), path);
        }
        assertEquals(200, service.management("/observe/metrics").statusCode());
        HttpResponse<String> version = service.management("/observe/jolokia/version");
        assertEquals(200, version.statusCode(), version.body());
        System.out.println(version.body());
        org.apache.camel.health.HealthCheckRegistry.get(service.camelContext()).stream().forEach(c -> System.out.println("CHECK " + c.getGroup() + "/" + c.getId() + " " + c.isEnabled()));
        System.out.println(service.management("/observe/health").body());
        System.out.println(service.get("/observe/health").body());
    }
}
