package org.activedefense.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads the copied PAN-OS sample files from {@code src/test/resources/samples/panos/}. */
final class SampleLines {

    static final List<String> FILES = List.of(
            "layer3-pan-os-syslog-samples.log",
            "crowdsecurity-hub-palo-alto-threat.log",
            "paloaltonetworks-splunk-apps-pan_correlation.samplelog",
            "paloaltonetworks-splunk-apps-pan_globalprotect.samplelog",
            "paloaltonetworks-splunk-apps-pan_incident_data_config.samplelog",
            "datadog-integrations-core-pan-firewall-kv.log");

    private SampleLines() {
    }

    /** All lines of {@code file}, in order (line 1 is index 0). */
    static List<String> of(String file) {
        try (InputStream in = SampleLines.class.getResourceAsStream("/samples/panos/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing sample " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Line {@code number} (1-based, as in FIELDS.md) of {@code file}. */
    static String line(String file, int number) {
        return of(file).get(number - 1);
    }
}
