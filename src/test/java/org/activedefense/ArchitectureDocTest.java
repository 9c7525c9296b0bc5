package org.activedefense;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * docs/architecture.md's route table is the routes/ folder: every route (REST operations included)
 * is listed with the file it is in and its input, and no listed route is missing from routes/.
 */
class ArchitectureDocTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\| `([^`]+)` \\| `([^`]+)` \\| .+\\|$");

    @Test
    void routeTableMatchesTheRouteFiles() throws Exception {
        Map<String, String[]> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("docs", "architecture.md"))) {
            Matcher m = ROW.matcher(line.strip());
            if (m.matches()) {
                documented.put(m.group(1), new String[] {m.group(2), m.group(3)});
            }
        }
        assertFalse(documented.isEmpty(), "docs/architecture.md has no route table");

        Map<String, String[]> actual = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".camel.yaml") || p.toString().endsWith(".camel.xml")).sorted().toList();
        }
        for (Path file : files) {
            // One context per file, so each route is known with the file it came from.
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                context.getPropertiesComponent().setLocation("file:application.properties");
                PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:" + file));
                for (RouteDefinition route : ((ModelCamelContext) context).getRouteDefinitions()) {
                    String description = route.getDescriptionText() == null ? "" : route.getDescriptionText();
                    String input = route.getInput().getEndpointUri();
                    // A route made from a template shows its template's {{parameters}}: fill them in.
                    if (route.getTemplateParameters() != null) {
                        for (Map.Entry<String, Object> p : route.getTemplateParameters().entrySet()) {
                            input = input.replace("{{" + p.getKey() + "}}", String.valueOf(p.getValue()));
                            description = description.replace("{{" + p.getKey() + "}}", String.valueOf(p.getValue()));
                        }
                    }
                    actual.put(route.getRouteId(), new String[] {file.getFileName().toString(), input, description});
                }
            }
        }

        List<String> problems = new ArrayList<>();
        List<String> suggestions = new ArrayList<>();
        actual.forEach((id, where) -> {
            String[] doc = documented.get(id);
            if (doc == null) {
                problems.add("missing from the table: " + id + " (" + where[0] + ", from " + where[1] + ")");
                suggestions.add("| `" + id + "` | `" + where[0] + "` | `" + documentedInput(where[1]) + "` | "
                        + (where[2].isBlank() ? restDescription(where[1]) : where[2]) + " |");
                return;
            }
            if (!doc[0].equals(where[0])) {
                problems.add(id + ": the table says file " + doc[0] + ", it is in " + where[0]);
            }
            if (!inputMatches(doc[1], where[1])) {
                problems.add(id + ": the table says from " + doc[1] + ", the route's input is " + where[1]);
            }
        });
        documented.keySet().stream().filter(id -> !actual.containsKey(id))
                .forEach(id -> problems.add("in the table but not in routes/: " + id));
        assertEquals(List.of(), problems, "docs/architecture.md vs routes/"
                + (suggestions.isEmpty() ? "" : "; rows for the missing routes:\n" + String.join("\n", suggestions) + "\n"));
    }

    /** A route's input as the table shows it: the URI without parameters, a REST operation as "VERB /path". */
    private static String documentedInput(String uri) {
        if (uri.startsWith("rest:")) {
            String[] parts = uri.split("\\?", 2)[0].replaceFirst("^rest:(//)?", "").split(":");
            String path = java.net.URLDecoder.decode(parts[1] + (parts.length > 2 ? parts[2] : ""), java.nio.charset.StandardCharsets.UTF_8);
            return parts[0].toUpperCase(java.util.Locale.ROOT) + " " + path;
        }
        return uri.split("\\?", 2)[0];
    }

    /** The description a REST operation carries in its rest: URI. */
    private static String restDescription(String uri) {
        Matcher m = Pattern.compile("[?&]description=([^&]*)").matcher(uri);
        return m.find() ? java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8) : "";
    }

    private static boolean inputMatches(String documented, String uri) {
        return documented.equals(documentedInput(uri));
    }
}
