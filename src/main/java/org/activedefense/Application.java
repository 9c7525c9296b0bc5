package org.activedefense;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.activedefense.cli.ShowLogs;
import org.apache.camel.main.Main;

/**
 * Starts ActiveDefense: camel-main with routes from {@code routes/} and configuration from
 * {@code application.properties} in the working directory, layered with a profile file, a local
 * file for secrets and an external file (see the README). {@code show-logs} prints what was stored.
 */
public final class Application {

    /** Names an extra properties file (e.g. /etc/active-defense/secrets.properties); it wins over the others. */
    static final String CONFIG_ENV = "ACTIVE_DEFENSE_CONFIG";

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("show-logs")) {
            System.exit(ShowLogs.run(propertyLocations(), args));
        }
        System.exit(newMain().run(args));
    }

    /** A camel-main that loads the layered properties files; tests use it too. */
    public static Main newMain() {
        // No base package: routes come from routes/ only, never from classpath scanning.
        Main main = new Main();
        // Camel's properties component takes each key from the first location that has it, so the
        // locations go highest precedence first, the reverse of propertyLocations().
        List<String> firstWins = new ArrayList<>(propertyLocations());
        java.util.Collections.reverse(firstWins);
        main.setPropertyPlaceholderLocations(String.join(",", firstWins));
        return main;
    }

    /** The properties files, lowest precedence first; environment and -D options override them all. */
    static List<String> propertyLocations() {
        List<String> locations = new ArrayList<>();
        locations.add("file:application.properties");
        profile().ifPresent(p -> locations.add("file:application-" + p + ".properties;optional=true"));
        locations.add("file:application-local.properties;optional=true");
        setting("active-defense.config", CONFIG_ENV).ifPresent(f -> locations.add("file:" + f));
        return locations;
    }

    private static Optional<String> profile() {
        Optional<String> chosen = setting("camel.main.profile", "CAMEL_MAIN_PROFILE");
        if (chosen.isPresent()) {
            return chosen;
        }
        try {
            var props = new java.util.Properties();
            Path file = Path.of("application.properties");
            if (Files.exists(file)) {
                try (var in = Files.newBufferedReader(file)) {
                    props.load(in);
                }
            }
            return Optional.ofNullable(props.getProperty("camel.main.profile")).map(String::trim).filter(s -> !s.isEmpty());
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> setting(String systemProperty, String environmentVariable) {
        String value = System.getProperty(systemProperty);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable);
        }
        return Optional.ofNullable(value).map(String::trim).filter(s -> !s.isEmpty());
    }
}
