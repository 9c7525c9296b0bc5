package org.activedefense.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.activedefense.parse.KeyAliases.Column;
import org.junit.jupiter.api.Test;

class KeyAliasesTest {

    private final KeyAliases defaults = KeyAliases.defaults();

    @Test
    void columnNamesAreKebabCasePropertySuffixes() {
        assertEquals("src-ip", Column.SRC_IP.propertyName());
        assertEquals("generated-time", Column.GENERATED_TIME.propertyName());
        assertEquals(Column.LOG_TYPE, Column.ofPropertyName("log-type"));
        assertEquals(20, Column.values().length);
    }

    @Test
    void defaultsCoverSeedFormatPanosVariablesAndDatadogNames() {
        assertEquals(Column.SRC_IP, defaults.columnOf("SrcIP"));
        assertEquals(Column.SRC_IP, defaults.columnOf("src"));
        assertEquals(Column.SRC_IP, defaults.columnOf("network.client.ip"));
        assertEquals(Column.DST_PORT, defaults.columnOf("dport"));
        assertEquals(Column.DST_PORT, defaults.columnOf("network.destination.port"));
        assertEquals(Column.SRC_LOCATION, defaults.columnOf("network.client.geoip.country.name"));
        assertEquals(Column.ACTION, defaults.columnOf("evt.name"));
        assertEquals(Column.SRC_USER, defaults.columnOf("usr.id"));
        assertEquals(Column.SRC_ZONE, defaults.columnOf("from"));
        assertEquals(Column.DST_ZONE, defaults.columnOf("to"));
        assertEquals(Column.RULE_UUID, defaults.columnOf("RuleID"));
        assertEquals(Column.RULE_NAME, defaults.columnOf("rule"));
        assertEquals(Column.THREAT_ID, defaults.columnOf("threatid"));
        assertEquals(Column.GENERATED_TIME, defaults.columnOf("TimeReceived"));
        assertEquals(Column.GENERATED_TIME, defaults.columnOf("time_generated"));
        assertEquals(Column.LOG_TYPE, defaults.columnOf("type"));
        assertNull(defaults.columnOf("timestamp"));
        assertNull(defaults.columnOf("natsport"));
    }

    @Test
    void keysCompareIgnoringAsciiCaseOnly() {
        assertEquals(Column.SRC_IP, defaults.columnOf("SRCIP"));
        assertEquals(Column.SRC_IP, defaults.columnOf("srcip"));
        assertEquals(Column.ACTION, defaults.columnOf("EVT.NAME"));
        // U+212A KELVIN SIGN lower-cases to 'k'; it must not pass for an ASCII key.
        assertNull(KeyAliases.defaults().withOverrides(Map.of("action", "k")).columnOf("\u212A"));
    }

    @Test
    void overridesReplaceAColumnsKeys() {
        KeyAliases aliases = defaults.withOverrides(Map.of("src-ip", "source_address, SrcIP", "action", ""));
        assertEquals(List.of("source_address", "SrcIP"), aliases.keysOf(Column.SRC_IP));
        assertEquals(Column.SRC_IP, aliases.columnOf("SOURCE_ADDRESS"));
        assertNull(aliases.columnOf("src"));
        assertNull(aliases.columnOf("Action"));
        assertEquals(Column.DST_IP, aliases.columnOf("dst"));
        // The original is untouched.
        assertEquals(Column.SRC_IP, defaults.columnOf("src"));
    }

    @Test
    void unknownColumnIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> defaults.withOverrides(Map.of("source-ip", "src")));
        assertTrue(e.getMessage().contains("'source-ip'"), e.getMessage());
    }

    @Test
    void keyFeedingTwoColumnsIsAConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> defaults.withOverrides(Map.of("dst-ip", "DstIP, SRC")));
        assertTrue(e.getMessage().contains("'SRC'") && e.getMessage().contains("src-ip")
                && e.getMessage().contains("dst-ip"), e.getMessage());
    }

    @Test
    void keysMustBeIdentifiers() {
        assertThrows(IllegalArgumentException.class, () -> defaults.withOverrides(Map.of("src-ip", "src ip")));
        assertThrows(IllegalArgumentException.class, () -> defaults.withOverrides(Map.of("src-ip", "1src")));
        assertThrows(IllegalArgumentException.class, () -> defaults.withOverrides(Map.of("src-ip", "src=")));
    }

    @Test
    void sameKeyTwiceInOneColumnIsKeptOnce() {
        KeyAliases aliases = defaults.withOverrides(Map.of("severity", "Severity, severity, sev"));
        assertEquals(List.of("Severity", "sev"), aliases.keysOf(Column.SEVERITY));
    }
}
