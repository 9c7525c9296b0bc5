package org.activedefense.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/** A JSON object sent to the API, with field access that says which field is wrong. */
public final class RequestBody {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 64 * 1024;

    private final JsonNode node;

    private RequestBody(JsonNode node) {
        this.node = node;
    }

    public static RequestBody of(Exchange exchange) {
        RequestBody body = optional(exchange);
        if (body == null) {
            throw new IllegalArgumentException("send a JSON object as the request body");
        }
        return body;
    }

    /** The body, or null when the request has none (the body is read once). */
    public static RequestBody optional(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("send a JSON object as the request body");
        }
        if (text.length() > MAX_BYTES) {
            throw new IllegalArgumentException("the request body is larger than " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("send a JSON object as the request body");
            }
            return new RequestBody(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request body is not valid JSON");
        }
    }

    public JsonNode node() {
        return node;
    }

    /** A required non-empty text field. */
    public String text(String field) {
        String value = optionalText(field);
        if (value == null || value.isBlank()) {
            throw new FieldException(field, field + " is required");
        }
        return value;
    }

    /** A text field that may be missing or null. */
    public String optionalText(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new FieldException(field, field + " must be a string");
        }
        return value.textValue();
    }

    public boolean has(String field) {
        return node.has(field);
    }
}
