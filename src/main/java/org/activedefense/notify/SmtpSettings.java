package org.activedefense.notify;

import java.util.Properties;

import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;

/**
 * How to reach the SMTP server, from the {@code mail.smtp.*} properties; no host means mails go
 * to the outbox folder instead.
 *
 * @param security none, starttls (required, not opportunistic) or ssl
 */
public record SmtpSettings(String host, int port, String username, String password, String security,
                           int timeoutMs) {

    public SmtpSettings {
        if (!security.equals("none") && !security.equals("starttls") && !security.equals("ssl")) {
            throw new IllegalArgumentException("mail.smtp.security must be none, starttls or ssl, not '" + security + "'");
        }
    }

    public boolean isConfigured() {
        return host != null && !host.isBlank();
    }

    /** The Jakarta Mail session camel-mail sends through. */
    public Session session() {
        Properties p = new Properties();
        String prefix = security.equals("ssl") ? "mail.smtps." : "mail.smtp.";
        p.put(prefix + "connectiontimeout", String.valueOf(timeoutMs));
        p.put(prefix + "timeout", String.valueOf(timeoutMs));
        p.put(prefix + "writetimeout", String.valueOf(timeoutMs));
        if (security.equals("starttls")) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (!security.equals("none")) {
            p.put(prefix + "ssl.checkserveridentity", "true");
        }
        if (username != null && !username.isBlank()) {
            p.put(prefix + "auth", "true");
            return Session.getInstance(p, new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(username, password);
                }
            });
        }
        return Session.getInstance(p);
    }

    /** The camel-mail scheme: smtps for implicit TLS, smtp otherwise. */
    public String scheme() {
        return security.equals("ssl") ? "smtps" : "smtp";
    }
}
