package org.activedefense.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the served certificate's expiry: the days left as a gauge, a warning in the log on every
 * check inside the warning window, and a warning mail at most once a (UTC) day — remembered in a
 * small file so a restart does not mail again. When the certificate expires, the firewall can no
 * longer fetch the block list and stops enforcing it.
 */
public final class CertificateExpiryWatch {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateExpiryWatch.class);
    static final String MAILED_MARKER = "expiry-warning-mailed";

    /** What the warning mail says. */
    public record Warning(String subject, String body) {
    }

    private final ServerCertificate certificate;
    private final int warningDays;
    private final Path markerFile;
    private final Clock clock;

    public CertificateExpiryWatch(ServerCertificate certificate, int warningDays, Path stateFolder, Clock clock,
                                  MeterRegistry registry) {
        this.certificate = certificate;
        this.warningDays = warningDays;
        this.markerFile = stateFolder.resolve(MAILED_MARKER);
        this.clock = clock;
        Gauge.builder("activedefense.certificate.days.left", () -> certificate.daysLeft(clock))
                .description("Whole days until the HTTPS / syslog TLS certificate expires (negative once it has)")
                .register(registry);
    }

    public long daysLeft() {
        return certificate.daysLeft(clock);
    }

    /** Checks once: logs inside the window, and returns the mail to send when none went out today, else null. */
    public Warning check() {
        long left = daysLeft();
        if (left >= warningDays) {
            LOG.debug("TLS certificate valid for {} more days", left);
            return null;
        }
        String state = left >= 0 ? "expires in " + left + " days" : expiredState();
        LOG.warn("The TLS certificate {} (on {}); SHA-256 {}. Replace it before then: the firewall stops "
                + "enforcing the block list when it cannot fetch it.", state, certificate.notAfter(),
                certificate.sha256Fingerprint());
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (today.toString().equals(lastMailed())) {
            return null;
        }
        remember(today);
        String subject = "ActiveDefense: the TLS certificate " + state;
        String body = "The certificate ActiveDefense serves the block list (EDL) and syslog over TLS with\n"
                + state + ", on " + certificate.notAfter() + ".\n\n"
                + "Certificate: " + certificate.describe() + "\n\n"
                + "When it expires the firewall can no longer fetch the block list and stops enforcing it.\n"
                + "Renew it (a new key store in tls.keystore.*, or for the self-signed certificate delete\n"
                + "certificate.pem and private-key.pem from the TLS folder and restart), then import the new\n"
                + "certificate (GET /tls/certificate.pem) into the firewall's certificate profile.\n"
                + "See docs/tls.md.\n";
        return new Warning(subject, body);
    }

    private String expiredState() {
        long ago = java.time.Duration.between(certificate.notAfter(), clock.instant()).toDays();
        return ago == 0 ? "EXPIRED less than a day ago" : "EXPIRED " + ago + " days ago";
    }

    private String lastMailed() {
        try {
            return Files.exists(markerFile) ? Files.readString(markerFile, StandardCharsets.US_ASCII).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private void remember(LocalDate day) {
        try {
            Files.createDirectories(markerFile.getParent());
            Files.writeString(markerFile, day.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            LOG.warn("Cannot remember the certificate warning mail in {}: {}", markerFile, e.getMessage());
        }
    }
}
