package org.activedefense.admin;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Writes API answers as JSON (ISO-8601 times), with the status and content type set. */
public final class JsonResponses {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JsonResponses.class);

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Replaces the body with its JSON form, status 200. */
    public void ok(Message message) throws JsonProcessingException {
        write(message, 200, message.getBody());
    }

    /** An error answer {@code {"error": "..."}} with the given status. */
    public void error(Message message, int status, String error) throws JsonProcessingException {
        write(message, status, Map.of("error", error));
        if (status == 401) {
            message.setHeader("WWW-Authenticate", "Basic realm=\"ActiveDefense\", charset=\"UTF-8\"");
        }
    }

    /** Answers the exception an API route caught: 401/403 for access, 400 for bad input, else 500. */
    public void failure(Exchange exchange) throws JsonProcessingException {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message message = exchange.getMessage();
        if (e instanceof AccessDeniedException denied) {
            error(message, denied.status(), denied.getMessage());
        } else if (e instanceof IllegalArgumentException) {
            error(message, 400, e.getMessage());
        } else if (causedByJson(e)) {
            error(message, 400, "the request body is not valid JSON");
        } else {
            LOG.error("Admin API request failed", e);
            error(message, 500, "internal error; see the service log");
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
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        message.setHeader("Cache-Control", "no-store");
        message.setBody(json.writeValueAsBytes(value));
    }
}
