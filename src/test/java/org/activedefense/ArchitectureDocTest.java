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
                    actual.put(route.getRouteId(), new String[] {file.getFileName().toString(), route.getInput().getEndpointUri()});
                }
            }
        }

        List<String> problems = new ArrayList<>();
        actual.forEach((id, where) -> {
            String[] doc = documented.get(id);
            if (doc == null) {
                problems.add("missing from the table: " + id + " (" + where[0] + ", from " + where[1] + ")");
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
        assertEquals(List.of(), problems, "docs/architecture.md vs routes/");
    }

    /** A route's input is documented as its URI without parameters, a REST operation as "VERB /path". */
    private static boolean inputMatches(String documented, String uri) {
        if (uri.startsWith("rest:")) {
            // rest://post:/api:/detection/run?... -> POST /api/detection/run
            String[] parts = uri.split("\\?", 2)[0].replaceFirst("^rest:(//)?", "").split(":");
            String path = parts[1] + (parts.length > 2 ? parts[2] : "");
            return documented.equals(parts[0].toUpperCase(java.util.Locale.ROOT) + " " + path);
        }
        return documented.equals(uri.split("\\?", 2)[0]);
    }
}
