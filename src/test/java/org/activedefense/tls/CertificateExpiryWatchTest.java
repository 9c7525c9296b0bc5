package org.activedefense.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateExpiryWatchTest {

    @TempDir
    Path dir;

    private final Instant issued = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void warnsInsideTheWindowAndMailsAtMostOnceAUtcDayAcrossRestarts() throws Exception {
        ServerCertificate certificate = SelfSignedCertificate.loadOrCreate(dir.resolve("cert"),
                new SelfSignedCertificate.Spec(List.of("localhost"), 30, "EC"), Clock.fixed(issued, ZoneOffset.UTC));
        Instant expiry = certificate.notAfter();

        // 15 days left: outside a 14-day window
        assertNull(watch(certificate, expiry.minus(Duration.ofDays(15))).check());

        Instant day1 = expiry.minus(Duration.ofDays(13)).minus(Duration.ofHours(1));
        CertificateExpiryWatch.Warning warning = watch(certificate, day1).check();
        assertNotNull(warning);
        assertEquals("ActiveDefense: the TLS certificate expires in 13 days", warning.subject());
        assertTrue(warning.body().contains(certificate.sha256Fingerprint()));
        // same UTC day, even from a new instance (a restart): no second mail
        assertNull(watch(certificate, day1.plus(Duration.ofMinutes(50))).check());
        // the next day mails again
        assertNotNull(watch(certificate, day1.plus(Duration.ofDays(1))).check());

        CertificateExpiryWatch.Warning expired = watch(certificate, expiry.plus(Duration.ofDays(2).plusHours(1))).check();
        assertEquals("ActiveDefense: the TLS certificate EXPIRED 2 days ago", expired.subject());
    }

    @Test
    void theGaugeCountsWholeDaysLeft() throws Exception {
        ServerCertificate certificate = SelfSignedCertificate.loadOrCreate(dir.resolve("cert"),
                new SelfSignedCertificate.Spec(List.of("localhost"), 30, "EC"), Clock.fixed(issued, ZoneOffset.UTC));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new CertificateExpiryWatch(certificate, 14, dir, Clock.fixed(issued.plus(Duration.ofHours(36)), ZoneOffset.UTC), registry);
        assertEquals(28.0, registry.get("activedefense.certificate.days.left").gauge().value());
    }

    private CertificateExpiryWatch watch(ServerCertificate certificate, Instant now) {
        return new CertificateExpiryWatch(certificate, 14, dir, Clock.fixed(now, ZoneOffset.UTC), new SimpleMeterRegistry());
    }
}
