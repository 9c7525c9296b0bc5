package org.activedefense.admin;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.activedefense.settings.SettingsStore;
import org.apache.camel.Exchange;

/** Every changeable setting with its effective value and where it comes from; changes are audited. */
public final class SettingsApi {

    private final SettingsStore settings;
    private final AuditLog audit;

    public SettingsApi(SettingsStore settings, AuditLog audit) {
        this.settings = settings;
        this.audit = audit;
    }

    public List<Map<String, Object>> list() {
        return settings.describe();
    }

    /** {@code PUT /api/settings {"key": "value", ...}}: all valid or nothing stored. */
    public List<Map<String, Object>> update(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        RequestBody body = RequestBody.of(exchange);
        Map<String, String> changes = new LinkedHashMap<>();
        var fields = body.node().fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw new FieldException(f.getKey(), f.getKey() + " must be a string, number or boolean");
            }
            changes.put(f.getKey(), v.asText());
        }
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("send the settings to change, e.g. {\"detect.port-scan.ports\": \"15\"}");
        }
        Map<String, String> before = settings.update(changes, call.username());
        Map<String, String> after = new LinkedHashMap<>();
        before.keySet().forEach(k -> after.put(k, k.equals("mail.smtp.password") ? "********" : settings.value(k)));
        audit.record(call.username(), call.source(), "settings.change", String.join(",", before.keySet()), before, after);
        return settings.describe();
    }

    /** {@code DELETE /api/settings/{key}}: back to the configured value. */
    public Answer reset(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        String key = exchange.getMessage().getHeader("key", String.class);
        String before = settings.reset(key);
        audit.record(call.username(), call.source(), "settings.reset", key, Map.of(key, before),
                Map.of(key, key.equals("mail.smtp.password") ? "" : settings.value(key)));
        return Answer.noContent();
    }
}
