package org.activedefense.notify;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps mails as {@code .eml} files in the outbox folder: every mail when no SMTP server is
 * configured, and a mail the SMTP server would not take after the retries, with the error in an
 * {@code X-ActiveDefense-Error} header. Any mail client opens them; nothing is lost.
 */
public final class MailOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(MailOutbox.class);
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path folder;
    private final AtomicLong sequence = new AtomicLong();

    public MailOutbox(Path folder) {
        this.folder = folder;
    }

    /** Writes one mail; returns the file written. */
    public Path keep(String from, String to, String subject, String body, String error) throws IOException, MessagingException {
        Files.createDirectories(folder);
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()));
        mail.setFrom(new InternetAddress(from));
        mail.setRecipients(RecipientType.TO, InternetAddress.parse(to));
        mail.setSubject(subject, "UTF-8");
        mail.setSentDate(new Date());
        mail.setText(body, "UTF-8");
        if (error != null) {
            mail.setHeader("X-ActiveDefense-Error", OffenderDigest.clean(error));
        }
        mail.saveChanges();
        Path file = folder.resolve(NAME_TIME.format(Instant.now()) + "-" + sequence.incrementAndGet() + ".eml");
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            mail.writeTo(out);
        }
        if (error == null) {
            LOG.info("Mail '{}' kept in the outbox as {} (no SMTP server configured)", subject, file);
        } else {
            LOG.warn("Mail '{}' could not be sent ({}); kept in the outbox as {}", subject, error, file);
        }
        return file;
    }
}
