package org.activedefense.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SettingDefinitionTest {

    private static SettingDefinition def(String key) {
        return SettingDefinition.ALL.stream().filter(d -> d.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void valuesAreNormalised() {
        assertEquals("15", def("detect.port-scan.ports").validate(" 15 "));
        assertEquals("true", def("edl.aggregate-cidrs").validate("TRUE"));
        assertEquals("port-scan,vulnerability", def("detect.simulate-cases").validate("port-scan, vulnerability,port-scan"));
        assertEquals("a@example.org,b@example.org", def("mail.to").validate(" a@example.org , b@example.org"));
        assertEquals("0 0/5 * * * ?", def("detect.cron").validate("0 0/5 * * * ?"));
    }

    @Test
    void badValuesNameTheirSetting() {
        for (String[] bad : new String[][] {
                {"detect.port-scan.ports", "0"},
                {"detect.port-scan.window-minutes", "-1"},
                {"detect.vulnerability.level", "3"},
                {"detect.cron", "* * * *"},
                {"mail.smtp.security", "tls1.3"},
                {"mail.smtp.host", "mail.example.org\r\nRCPT TO:<x@y>"},
                {"mail.smtp.username", "user\nname"},
                {"mail.from", "Someone <a@example.org>"},
                {"mail.to", "a@example.org\r\nBcc: b@example.org"},
                {"mail.to", ""},
                {"detect.vulnerability.subtypes", "vulnerability; DROP TABLE"}}) {
            SettingException e = assertThrows(SettingException.class, () -> def(bad[0]).validate(bad[1]), bad[0] + "=" + bad[1]);
            assertEquals(bad[0], e.key());
        }
    }
}
