package org.activedefense.admin;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes API answers as JSON (ISO-8601 times), with the status, content type and security
 * headers set; an {@link Answer} picks another status or streams a download.
 */
public final class JsonResponses {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JsonResponses.class);

    /** The API serves data, never pages: nothing in an answer may load or run anything. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Replaces the body with its JSON form: 200, or what an {@link Answer} says. */
    public void ok(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        String cookie = exchange.getVariable("setCookie", String.class);
        if (body instanceof Answer answer) {
            if (answer.body() instanceof InputStream stream) {
                message.removeHeaders("*");
                secure(message);
                message.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
                message.setHeader(Exchange.CONTENT_TYPE, answer.contentType());
                message.setHeader("Content-Disposition", "attachment; filename=\"" + answer.fileName() + "\"");
                message.setBody(stream);
            } else if (answer.status() == 204) {
                message.removeHeaders("*");
                secure(message);
                message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
                message.setBody(null);
            } else {
                write(message, answer.status(), answer.body());
            }
        } else {
            write(message, 200, body);
        }
        if (cookie != null) {
            message.setHeader("Set-Cookie", cookie);
        }
    }

    /** An error answer {@code {"error": "..."}} with the given status. */
    public void error(Message message, int status, String error) throws JsonProcessingException {
        error(message, status, error, null);
        if (status == 401) {
            message.setHeader("WWW-Authenticate", "Basic realm=\"ActiveDefense\", charset=\"UTF-8\"");
        }
    }

    private void error(Message message, int status, String error, String field) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (field != null) {
            body.put("field", field);
        }
        write(message, status, body);
    }

    /** Answers the exception an API route caught: 401/403/429 for access, 400 for bad input, 404/409, else 500. */
    public void failure(Exchange exchange) throws JsonProcessingException {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message message = exchange.getMessage();
        if (e instanceof AccessDeniedException denied) {
            error(message, denied.status(), denied.getMessage(), null);
            if (denied.basicChallenge()) {
                message.setHeader("WWW-Authenticate", "Basic realm=\"ActiveDefense\", charset=\"UTF-8\"");
            }
            if (denied.retryAfterSeconds() > 0) {
                message.setHeader("Retry-After", String.valueOf(denied.retryAfterSeconds()));
            }
        } else if (e instanceof ApiException api) {
            error(message, api.status(), api.getMessage(), null);
        } else if (e instanceof org.activedefense.settings.SettingException bad) {
            error(message, 400, bad.getMessage(), bad.key());
        } else if (e instanceof FieldException bad) {
            error(message, 400, bad.getMessage(), bad.field());
        } else if (e instanceof IllegalArgumentException) {
            error(message, 400, e.getMessage(), null);
        } else if (causedByJson(e)) {
            error(message, 400, "the request body is not valid JSON", null);
        } else {
            LOG.error("Admin API request failed", e);
            error(message, 500, "internal error; see the service log", null);
        }
    }

    private static boolean causedByJson(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return true;
            }
        }
        return false;
    }

    private void write(Message message, int status, Object value) throws JsonProcessingException {
        message.removeHeaders("*");
        secure(message);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        message.setBody(json.writeValueAsBytes(value));
    }

    private static void secure(Message message) {
        message.setHeader("Cache-Control", "no-store");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        message.setHeader("Referrer-Policy", "no-referrer");
    }
}
