package org.activedefense;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.activedefense.tls.SelfSignedCertificate;
import org.activedefense.tls.ServerCertificate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTPS, the certificate (self-signed or from a key store), its expiry watch and syslog over TLS,
 * driven over real sockets against the real service.
 */
class TlsTest {

    private static final int SMTP_PORT = freePort();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));

    private final LogCapture log = new LogCapture();
    private RunningService service;

    @AfterEach
    void stop() {
        log.detach();
        if (service != null) {
            service.close();
        }
    }

    @Test
    void httpsServesTheEdlWithTheSelfSignedCertificateTheAdminDownloads() throws Exception {
        service = RunningService.start("tls-self-signed", Map.of());
        int httpsPort = port("https.port");

        // the admin downloads the certificate without logging in
        HttpResponse<String> download = service.get("/tls/certificate.pem");
        assertEquals(200, download.statusCode());
        assertEquals("application/x-pem-file", download.headers().firstValue("Content-Type").orElse(""));
        X509Certificate downloaded = parsePem(download.body());

        // a client trusting the downloaded certificate fetches the EDL over HTTPS (host name 127.0.0.1 verified)
        HttpResponse<String> edl = https(downloaded, httpsPort, "/files/blacklist.txt");
        assertEquals(200, edl.statusCode());
        assertEquals("text/plain; charset=utf-8", edl.headers().firstValue("Content-Type").orElse("").toLowerCase());
        // the certificate the handshake presented is the downloaded one
        X509Certificate served = (X509Certificate) edl.sslSession().orElseThrow().getPeerCertificates()[0];
        assertEquals(downloaded, served);
        // a TLS 1.2-only client (older firewalls) is served too
        HttpClient tls12 = HttpClient.newBuilder().sslContext(trusting(downloaded))
                .sslParameters(new javax.net.ssl.SSLParameters(null, new String[] {"TLSv1.2"})).build();
        HttpResponse<String> viaTls12 = tls12.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + httpsPort + "/files/blacklist.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, viaTls12.statusCode());
        assertEquals("TLSv1.2", viaTls12.sslSession().orElseThrow().getProtocol());
        // the API answers on HTTPS too (asking for its login): one router behind both listeners
        assertEquals(401, https(downloaded, httpsPort, "/api/blacklist").statusCode());

        // without the certificate, verification fails
        HttpClient untrusting = HttpClient.newHttpClient();
        assertThrows(SSLHandshakeException.class, () -> untrusting.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + "/files/blacklist.txt")).build(),
                HttpResponse.BodyHandlers.ofString()));

        // the fingerprint the log gave at start is the served certificate's
        String fingerprint = ServerCertificate.fingerprint(served);
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("SHA-256 fingerprint " + fingerprint)), log.lines().toString());
        // and it covers this host's name and the loopback address
        assertTrue(served.getSubjectAlternativeNames().stream().anyMatch(n -> "127.0.0.1".equals(n.get(1))));
        assertTrue(served.getSubjectAlternativeNames().stream().anyMatch(n -> "localhost".equals(n.get(1))));
        // the private key is readable by the owner only
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(service.dataDir.resolve("tls").resolve(SelfSignedCertificate.KEY_FILE))));

        // a restart reuses the certificate: the firewall's imported copy stays valid
        Path dataDir = service.dataDir;
        service.close();
        service = RunningService.startOn(dataDir, Map.of());
        X509Certificate afterRestart = (X509Certificate) https(downloaded, port("https.port"), "/files/blacklist.txt")
                .sslSession().orElseThrow().getPeerCertificates()[0];
        assertEquals(served, afterRestart);
    }

    @Test
    void aConfiguredKeyStoreIsServedAndItsComingExpiryIsLoggedCountedAndMailedOncePerDay() throws Exception {
        // a certificate that expires in five and a half days, in a PKCS12 key store of our own
        KeyPair keys = SelfSignedCertificate.newKeyPair("EC");
        X509Certificate ours = SelfSignedCertificate.sign(keys, new SelfSignedCertificate.Spec(
                List.of("edl.example.org", "127.0.0.1"), 6, "EC"), Instant.now().minus(Duration.ofHours(12)));
        assertTrue(ours.getNotBefore().toInstant().isBefore(Instant.now()));
        Path dir = Path.of("target", "test-data", "tls-keystore-input").toAbsolutePath();
        RunningService.deleteRecursively(dir);
        Files.createDirectories(dir);
        Path keystore = dir.resolve("edl.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("edl", keys.getPrivate(), "store-secret".toCharArray(), new Certificate[] {ours});
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, "store-secret".toCharArray());
        }

        service = RunningService.start("tls-keystore", Map.of(
                "tls.keystore.path", keystore.toString(),
                "tls.keystore.password", "store-secret",
                "tls.keystore.alias", "edl",
                "mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", String.valueOf(SMTP_PORT),
                "mail.to", "soc@example.org"));

        X509Certificate served = (X509Certificate) https(ours, port("https.port"), "/files/blacklist.txt")
                .sslSession().orElseThrow().getPeerCertificates()[0];
        assertEquals(ours, served);
        assertEquals(ours, parsePem(service.get("/tls/certificate.pem").body()));
        // no self-signed certificate was made
        assertTrue(Files.notExists(service.dataDir.resolve("tls").resolve(SelfSignedCertificate.CERTIFICATE_FILE)));

        assertEquals(5.0, service.metric("activedefense_certificate_days_left"));
        await().atMost(Duration.ofSeconds(30)).until(() -> SMTP.getReceivedMessages().length >= 1);
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        assertEquals("ActiveDefense: the TLS certificate expires in 5 days", mail.getSubject());
        assertEquals("soc@example.org", mail.getAllRecipients()[0].toString());
        String body = mail.getContent().toString();
        assertTrue(body.contains(ServerCertificate.fingerprint(ours)), body);
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("expires in 5 days")), log.lines().toString());

        // another check the same day logs again but does not mail again
        service.camelContext().createProducerTemplate().sendBody("direct:check-certificate-expiry", null);
        assertEquals(1, SMTP.getReceivedMessages().length);
        assertEquals(2, log.lines().stream().filter(l -> l.contains("expires in 5 days")).count());
    }

    @Test
    void plainHttpCanBeTurnedOff() throws Exception {
        service = RunningService.start("tls-https-only", Map.of("http.enabled", "false"));
        assertThrows(ConnectException.class, () -> service.get("/files/blacklist.txt"));
        X509Certificate certificate = parsePem(Files.readString(
                service.dataDir.resolve("tls").resolve(SelfSignedCertificate.CERTIFICATE_FILE)));
        assertEquals(200, https(certificate, port("https.port"), "/files/blacklist.txt").statusCode());
        assertEquals(200, https(certificate, port("https.port"), "/tls/certificate.pem").statusCode());
        assertEquals(401, https(certificate, port("https.port"), "/api/blacklist").statusCode());
    }

    @Test
    void syslogOverTlsStoresOctetCountedLinesAndRefusesPlainTextClients() throws Exception {
        service = RunningService.start("tls-syslog", Map.of());
        X509Certificate certificate = parsePem(service.get("/tls/certificate.pem").body());
        int tlsPort = port("syslog.tls.port");
        double before = service.metric("activedefense_syslog_frames_received_total{transport=\"tls\"}");

        try (SSLSocket tls = (SSLSocket) trusting(certificate).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), tlsPort)) {
            // a TLS 1.2-only syslog client (older firewalls) is served too
            tls.setEnabledProtocols(new String[] {"TLSv1.2"});
            tls.startHandshake();
            assertEquals("TLSv1.2", tls.getSession().getProtocol());
            String a = RunningService.octetCounted("<14>1 2026-11-22T13:00:00+00:00 fw-tls - - - - "
                    + PanosLines.traffic(Map.of(25, "2001")));
            String b = RunningService.octetCounted("<14>1 2026-11-22T13:00:00+00:00 fw-tls - - - - "
                    + PanosLines.traffic(Map.of(25, "2002")));
            RunningService.write(tls, a + b);
            awaitRows("fw-tls", 2);

            // a client speaking plain text to the TLS port is cut off, and nothing of it is stored...
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), tlsPort)) {
                plain.setSoTimeout(10_000);
                String line = RunningService.octetCounted("<14>1 2026-11-22T13:00:00+00:00 fw-plain - - - - "
                        + PanosLines.traffic(Map.of(25, "2003")));
                RunningService.write(plain, line);
                InputStream in = plain.getInputStream();
                // the server answers with at most a TLS alert, then closes
                byte[] buffer = new byte[512];
                int total = 0;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                    assertTrue(total < 512, "the TLS port sent more than an alert to a plain-text client");
                }
            }
            // ...while the TLS connection already open goes on working
            String c = RunningService.octetCounted("<14>1 2026-11-22T13:00:00+00:00 fw-tls - - - - "
                    + PanosLines.traffic(Map.of(25, "2004")));
            RunningService.write(tls, c);
            awaitRows("fw-tls", 3);
        }
        assertEquals(0, service.count("SELECT count(*) FROM firewall_log WHERE device = 'fw-plain'"));
        assertEquals(List.of("2001", "2002", "2004"), service.rows(
                "SELECT dst_port::text AS p FROM firewall_log WHERE device = 'fw-tls' ORDER BY dst_port")
                .stream().map(r -> r.get("p")).toList());
        assertEquals(before + 3, service.metric("activedefense_syslog_frames_received_total{transport=\"tls\"}"));
    }

    @Test
    void aBusyHttpsPortLeavesTheServiceRunningAndHealthSaysWhy() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            service = RunningService.start("tls-https-port-taken", Map.of("https.port", String.valueOf(taken.getLocalPort())));
            assertEquals(200, service.get("/files/blacklist.txt").statusCode());
            // readiness (what /observe/health reports, wherever the management endpoints listen) is DOWN, saying why
            org.apache.camel.health.HealthCheck.Result check = org.apache.camel.health.HealthCheckHelper
                    .invokeReadiness(service.camelContext()).stream()
                    .filter(r -> r.getCheck().getId().equals("https-listener")).findFirst().orElseThrow();
            assertEquals(org.apache.camel.health.HealthCheck.State.DOWN, check.getState());
            assertTrue(check.getMessage().orElse("").startsWith("HTTPS cannot listen on"), check.getMessage().toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("HTTPS not started: cannot listen on")),
                    log.lines().toString());
        }
    }

    @Test
    void syslogOverTlsCanBeTurnedOff() throws Exception {
        service = RunningService.start("tls-syslog-off", Map.of("syslog.tls.enabled", "false"));
        int tlsPort = port("syslog.tls.port");
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), tlsPort).close());
        assertNotEquals(Double.NaN, service.metric("activedefense_certificate_days_left"));
    }

    private void awaitRows(String device, long rows) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                service.count("SELECT count(*) FROM firewall_log WHERE device = ?", device) == rows);
    }

    private int port(String property) {
        return Integer.parseInt(service.camelContext().resolvePropertyPlaceholders("{{" + property + "}}"));
    }

    private static HttpResponse<String> https(X509Certificate trusted, int port, String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(trusted)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("active-defense", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static X509Certificate parsePem(String pem) throws Exception {
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"), pem);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static int freePort() {
        try {
            return RunningService.freeTcpPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Collects what the service logs while a test runs. */
    private static final class LogCapture extends AbstractAppender {
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final org.apache.logging.log4j.core.Logger root =
                (org.apache.logging.log4j.core.Logger) LogManager.getRootLogger();

        LogCapture() {
            super("tls-test-capture", null, null, true, Property.EMPTY_ARRAY);
            start();
            root.addAppender(this);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
        }

        List<String> lines() {
            return lines;
        }

        void detach() {
            root.removeAppender(this);
        }
    }
}
