package org.activedefense.notify;

import java.util.Set;

import org.activedefense.settings.SettingsStore;
import org.apache.camel.CamelContext;

/**
 * The SMTP server, sender and recipients as currently set (console or properties). Each change of
 * the server settings binds a new Jakarta Mail session under a new name, so the endpoint the
 * delivery route resolves changes with it and camel-mail never keeps sending through the old one.
 */
public final class MailSettings implements SettingsStore.Listener {

    private final SettingsStore settings;
    private final CamelContext context;
    private final int timeoutMs;
    private volatile Binding binding;

    private record Binding(SmtpSettings smtp, String endpointUri) {
    }

    public MailSettings(SettingsStore settings, CamelContext context, int timeoutMs) {
        this.settings = settings;
        this.context = context;
        this.timeoutMs = timeoutMs;
        settings.addListener(this);
    }

    @Override
    public void changed(Set<String> keys) {
        if (keys.stream().anyMatch(k -> k.startsWith("mail.smtp."))) {
            binding = null;
        }
    }

    public SmtpSettings smtp() {
        return current().smtp();
    }

    public boolean isConfigured() {
        return smtp().isConfigured();
    }

    /** The camel-mail endpoint of the current server, e.g. {@code smtp://mail:25?session=#mailSession-3}. */
    public String endpointUri() {
        return current().endpointUri();
    }

    public String from() {
        return settings.value("mail.from");
    }

    public String to() {
        return settings.value("mail.to");
    }

    private synchronized Binding current() {
        Binding b = binding;
        if (b == null) {
            SmtpSettings smtp = new SmtpSettings(settings.value("mail.smtp.host"), settings.integer("mail.smtp.port"),
                    settings.value("mail.smtp.username"), settings.value("mail.smtp.password"),
                    settings.value("mail.smtp.security"), timeoutMs);
            String name = "mailSession-" + Integer.toHexString(System.identityHashCode(smtp)) + "-" + System.nanoTime();
            context.getRegistry().bind(name, smtp.session());
            String host = smtp.host().contains(":") && !smtp.host().startsWith("[") ? "[" + smtp.host() + "]" : smtp.host();
            b = new Binding(smtp, smtp.scheme() + "://" + host + ":" + smtp.port() + "?session=#" + name);
            binding = b;
        }
        return b;
    }
}
