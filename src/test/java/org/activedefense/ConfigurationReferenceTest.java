package org.activedefense;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/operations.md's configuration reference is application.properties: the same keys, each
 * with the same default. A row's default is `value` for a key with a value and *(empty...)* for a
 * key without one. The failure lists every missing, extra and different key at once, so whoever
 * adds a property sees exactly which rows to write.
 */
class ConfigurationReferenceTest {

    static final Path DOC = Path.of("docs", "operations.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z0-9.\\-\\[\\]]+)` \\| (.+?) \\| (.*)\\|$");

    @Test
    void everyPropertyIsDocumentedWithItsDefault() throws IOException {
        Properties file = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(in);
        }
        Map<String, String> documented = documentedDefaults();
        assertFalse(documented.isEmpty(), DOC + " has no configuration reference rows");

        List<String> missing = new ArrayList<>();
        List<String> different = new ArrayList<>();
        for (String key : new TreeSet<>(file.stringPropertyNames())) {
            String value = file.getProperty(key).strip();
            String cell = documented.get(key);
            if (cell == null) {
                missing.add("| `" + key + "` | " + (value.isEmpty() ? "*(empty)*" : "`" + value + "`") + " | ... |");
            } else if (value.isEmpty() ? !cell.startsWith("*(empty") : !cell.equals("`" + value + "`")) {
                different.add(key + ": application.properties has '" + value + "', " + DOC + " says " + cell);
            }
        }
        List<String> extra = documented.keySet().stream().filter(k -> !file.containsKey(k)).sorted().toList();
        if (!missing.isEmpty() || !different.isEmpty() || !extra.isEmpty()) {
            StringBuilder report = new StringBuilder(DOC + " does not match application.properties.");
            if (!missing.isEmpty()) {
                report.append("\nMissing rows (add them to the reference):\n  ").append(String.join("\n  ", missing));
            }
            if (!different.isEmpty()) {
                report.append("\nDifferent defaults:\n  ").append(String.join("\n  ", different));
            }
            if (!extra.isEmpty()) {
                report.append("\nDocumented but not in application.properties:\n  ").append(String.join("\n  ", extra));
            }
            fail(report.toString());
        }
    }

    /** Rows of the tables under "### Configuration reference", up to the next "## " heading. */
    static Map<String, String> documentedDefaults() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inReference = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("### Configuration reference")) {
                inReference = true;
            } else if (line.startsWith("## ")) {
                inReference = false;
            } else if (inReference) {
                Matcher m = ROW.matcher(line.strip());
                if (m.matches()) {
                    if (rows.put(m.group(1), m.group(2).strip()) != null) {
                        fail(DOC + " documents " + m.group(1) + " twice");
                    }
                }
            }
        }
        return rows;
    }
}
