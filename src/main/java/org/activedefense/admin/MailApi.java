package org.activedefense.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.activedefense.notify.MailSettings;
import org.activedefense.settings.SettingDefinition;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/** Sends a test mail through the SMTP server as set now, and says what the server answered. */
public final class MailApi {

    private final MailSettings mail;
    private final ProducerTemplate producer;
    private final AuditLog audit;

    public MailApi(MailSettings mail, ProducerTemplate producer, AuditLog audit) {
        this.mail = mail;
        this.producer = producer;
        this.audit = audit;
    }

    public Answer sendTest(Exchange exchange) {
        ApiCall call = ApiCall.of(exchange);
        RequestBody body = RequestBody.optional(exchange);
        String to = body == null ? null : body.optionalText("to");
        String recipients = to == null || to.isBlank() ? mail.to() : recipients(to);
        if (!mail.isConfigured()) {
            throw ApiException.conflict("no SMTP server is set (mail.smtp.host): mails are kept in the outbox folder");
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("From", mail.from());
        headers.put("To", recipients);
        headers.put("Subject", "ActiveDefense test mail");
        headers.put("Content-Type", "text/plain; charset=UTF-8");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("to", List.of(recipients.split(",")));
        try {
            producer.requestBodyAndHeaders("direct:send-test-mail",
                    "This is a test mail from ActiveDefense, sent by " + call.username()
                            + " from the console. Mails about new offenders will arrive like this one.\n",
                    headers);
            result.put("sent", true);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            result.put("sent", false);
            result.put("error", "the SMTP server " + mail.smtp().host() + ":" + mail.smtp().port()
                    + " did not take the mail: " + cause.getMessage());
        }
        audit.record(call.username(), call.source(), "mail.test", recipients, null, result);
        return Answer.status(Boolean.TRUE.equals(result.get("sent")) ? 200 : 502, result);
    }

    private static String recipients(String to) {
        try {
            return SettingDefinition.checkRecipients(to);
        } catch (IllegalArgumentException e) {
            throw new FieldException("to", e.getMessage().replace("mail.to", "to"));
        }
    }

}
