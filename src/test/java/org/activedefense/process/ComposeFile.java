package org.activedefense.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docker/compose.yaml as data, for tests that run the service with the environment compose gives
 * it. Variables are interpolated the way compose does when no .env file and no shell variable is
 * set: {@code ${X:-default}} becomes the default, {@code ${X}} becomes empty.
 */
public final class ComposeFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    @SuppressWarnings("unchecked")
    public static ComposeFile read(Path file) throws IOException {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IllegalStateException(file + " is not a YAML mapping");
        }
        return new ComposeFile((Map<String, Object>) map);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> services() {
        return (Map<String, Object>) root.get("services");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> service(String name) {
        Object service = services().get(name);
        if (service == null) {
            throw new IllegalStateException("compose has no service " + name + "; it has " + services().keySet());
        }
        return (Map<String, Object>) service;
    }

    /** A service's environment (map or list form), interpolated with the defaults. */
    public Map<String, String> environment(String service) {
        Object env = service(service).get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : interpolate(String.valueOf(v))));
        } else if (env instanceof List<?> list) {
            for (Object item : list) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : interpolate(s.substring(eq + 1)));
            }
        }
        return out;
    }

    /** A list-valued key of a service (ports, volumes), as strings; empty when absent. */
    public List<String> list(String service, String key) {
        Object value = service(service).get(key);
        return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
