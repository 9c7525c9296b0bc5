package org.activedefense.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

/**
 * The shaded jar (Bouncy Castle inside, its signatures stripped) makes its certificate, logs the
 * fingerprint, serves HTTPS with it, and reuses it after a restart — as the README shows with curl.
 */
class TlsJarIT {

    @Test
    void theJarServesHttpsWithItsOwnCertificateAcrossRestarts() throws Exception {
        Map<String, String> props = ServiceProcess.prepare("tls-jar", Map.of());
        int httpsPort = Integer.parseInt(props.get("https.port"));
        X509Certificate first;
        try (ServiceProcess service = ServiceProcess.start("tls-jar", props)) {
            // the supervised routes may still be starting when health first answers
            awaitRoutes(service);
            first = parsePem(service.get("/tls/certificate.pem").body());
            HttpResponse<String> edl = https(first, httpsPort, "/files/blacklist.txt");
            assertEquals(200, edl.statusCode());
            assertEquals(first, edl.sslSession().orElseThrow().getPeerCertificates()[0]);
            String fingerprint = HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(first.getEncoded()));
            assertTrue(service.log().contains("SHA-256 fingerprint " + fingerprint), service.log());
            assertEquals(143, service.terminate(Duration.ofSeconds(60)));
        }
        try (ServiceProcess again = ServiceProcess.start("tls-jar", props)) {
            awaitRoutes(again);
            assertEquals(first, https(first, httpsPort, "/files/blacklist.txt")
                    .sslSession().orElseThrow().getPeerCertificates()[0]);
        }
    }

    private static void awaitRoutes(ServiceProcess service) {
        await().atMost(Duration.ofSeconds(30)).until(() -> service.get("/tls/certificate.pem").statusCode() == 200
                && service.get("/files/blacklist.txt").statusCode() == 200);
    }

    private static HttpResponse<String> https(X509Certificate trusted, int port, String path) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("active-defense", trusted);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build().send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate parsePem(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
