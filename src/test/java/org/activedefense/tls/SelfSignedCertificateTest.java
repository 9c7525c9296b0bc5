package org.activedefense.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void generatesOnceWithTheConfiguredNamesAndReusesTheFilesAfterwards() throws Exception {
        SelfSignedCertificate.Spec spec = new SelfSignedCertificate.Spec(
                List.of("edl.example.org", "192.0.2.20", "2001:db8::20"), 30, "ec");
        ServerCertificate first = SelfSignedCertificate.loadOrCreate(dir, spec, clock);
        X509Certificate c = first.certificate();

        assertEquals("EC", c.getPublicKey().getAlgorithm());
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        assertTrue(c.getSubjectX500Principal().getName().contains("CN=edl.example.org"));
        // type 2 = DNS name, 7 = IP address
        assertEquals(List.of(List.of(2, "edl.example.org"), List.of(7, "192.0.2.20"), List.of(7, "2001:db8:0:0:0:0:0:20")),
                c.getSubjectAlternativeNames().stream().toList());
        assertEquals(Instant.parse("2026-12-22T12:00:00Z"), first.notAfter());
        assertEquals(30, first.daysLeft(clock));
        c.verify(c.getPublicKey());

        // a later start (even asked for other names) gets the same certificate and key back
        ServerCertificate again = SelfSignedCertificate.loadOrCreate(dir,
                new SelfSignedCertificate.Spec(List.of("other.example.org"), 5, "RSA"), clock);
        assertEquals(c, again.certificate());
        assertEquals(first.keyStore().getKey(first.alias(), first.password()),
                again.keyStore().getKey(again.alias(), again.password()));
        assertEquals(first.sha256Fingerprint(), again.sha256Fingerprint());

        // deleting the files renews it
        Files.delete(dir.resolve(SelfSignedCertificate.CERTIFICATE_FILE));
        Files.delete(dir.resolve(SelfSignedCertificate.KEY_FILE));
        ServerCertificate renewed = SelfSignedCertificate.loadOrCreate(dir,
                new SelfSignedCertificate.Spec(List.of(), 5, "RSA"), clock);
        assertNotEquals(first.sha256Fingerprint(), renewed.sha256Fingerprint());
        assertEquals("RSA", renewed.certificate().getPublicKey().getAlgorithm());
        assertEquals(SelfSignedCertificate.defaultNames(), renewed.certificate().getSubjectAlternativeNames()
                .stream().map(n -> n.get(1).toString()).toList());
    }

    @Test
    void thePemIsWhatTheFileHolds() throws Exception {
        ServerCertificate created = SelfSignedCertificate.loadOrCreate(dir,
                new SelfSignedCertificate.Spec(List.of("localhost"), 10, "RSA"), clock);
        assertEquals(Files.readString(dir.resolve(SelfSignedCertificate.CERTIFICATE_FILE)).replace("\r\n", "\n"),
                created.pem());
        assertTrue(created.sha256Fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
        assertEquals(Duration.ofDays(10).plusHours(1).toMillis(),
                created.certificate().getNotAfter().getTime() - created.certificate().getNotBefore().getTime());
    }

    @Test
    void refusesNonsenseSettings() {
        assertThrows(IllegalArgumentException.class, () -> new SelfSignedCertificate.Spec(List.of(), 0, "RSA"));
        assertThrows(IllegalArgumentException.class, () -> new SelfSignedCertificate.Spec(List.of(), 10, "DSA"));
    }
}
