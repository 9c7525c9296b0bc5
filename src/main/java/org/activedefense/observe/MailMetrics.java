package org.activedefense.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Mail delivery as {@code activedefense_mail_*} counters, counted by the mail routes. */
public final class MailMetrics {

    private final Counter sent;
    private final Counter failed;
    private final Counter kept;

    public MailMetrics(MeterRegistry registry) {
        sent = Counter.builder("activedefense.mail.sent").description("Mails the SMTP server accepted").register(registry);
        failed = Counter.builder("activedefense.mail.failed")
                .description("Mails the SMTP server refused after every retry (then kept in the outbox)").register(registry);
        kept = Counter.builder("activedefense.mail.outbox")
                .description("Mails written to mail.outbox-dir (no SMTP server configured, or sending failed)").register(registry);
    }

    public void sent() {
        sent.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void kept() {
        kept.increment();
    }
}
