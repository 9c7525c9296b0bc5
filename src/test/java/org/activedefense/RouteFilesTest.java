package org.activedefense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.catalog.CamelCatalog;
import org.apache.camel.catalog.DefaultCamelCatalog;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * The build rejects broken routes: every file in routes/ loads, every route has an id in
 * kebab-case and a description, and every endpoint URI (placeholders resolved from
 * application.properties) is valid for its component according to the Camel catalog.
 */
class RouteFilesTest {

    @Test
    void everyRouteFileLoadsAndEveryEndpointUriIsValid() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".camel.yaml") || p.toString().endsWith(".camel.xml")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:application.properties");
            for (Path file : files) {
                PluginHelper.getRoutesLoader(context).loadRoutes(
                        ResourceHelper.resolveResource(context, "file:" + file));
            }
            CamelCatalog catalog = new DefaultCamelCatalog();
            List<String> problems = new ArrayList<>();
            List<RouteDefinition> routes = ((ModelCamelContext) context).getRouteDefinitions();
            assertFalse(routes.isEmpty());
            for (RouteDefinition route : routes) {
                String id = route.getRouteId();
                if (id == null || !id.matches("[a-z]+(-[a-z0-9]+)+")) {
                    problems.add("route id not kebab-case <verb>-<object>: " + id + " (" + route.getInput().getEndpointUri() + ")");
                }
                String input = route.getInput().getEndpointUri();
                // a REST operation's route carries the operation's description on its rest: endpoint
                boolean restDescribed = input.startsWith("rest:") && input.contains("description=");
                String description = route.getDescriptionText();
                if (description != null && route.getTemplateParameters() != null) {
                    description = description.replace("{{summary}}", String.valueOf(route.getTemplateParameters().get("summary")));
                }
                if ((description == null || description.isBlank() || description.contains("{{")) && !restDescribed) {
                    problems.add(id + ": no description");
                }
                List<String> uris = new ArrayList<>();
                uris.add(route.getInput().getEndpointUri());
                collectUris(route.getOutputs(), uris);
                for (String uri : uris) {
                    // a route made from a template (the API operations) resolves its parameters first
                    if (route.getTemplateParameters() != null) {
                        for (var p : route.getTemplateParameters().entrySet()) {
                            uri = uri.replace("{{" + p.getKey() + "}}", String.valueOf(p.getValue()));
                        }
                    }
                    String resolved = context.resolvePropertyPlaceholders(uri);
                    EndpointValidationResult result = catalog.validateEndpointProperties(resolved);
                    if (!result.isSuccess()) {
                        problems.add(id + ": " + result.summaryErrorMessage(false));
                    }
                }
            }
            assertEquals(List.of(), problems);
            assertTrue(routes.stream().anyMatch(r -> r.getRouteId().equals("ingest-syslog-udp")));
        }
    }

    private static void collectUris(List<ProcessorDefinition<?>> outputs, List<String> uris) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof SendDefinition<?> send && send.getEndpointUri() != null) {
                uris.add(send.getEndpointUri());
            }
            collectUris(output.getOutputs(), uris);
        }
    }
}
