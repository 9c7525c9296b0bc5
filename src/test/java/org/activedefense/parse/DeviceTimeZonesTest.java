package org.activedefense.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceTimeZonesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void parsesDefaultAndPerDeviceZones() {
        DeviceTimeZones zones = DeviceTimeZones.parse("America/New_York", "PA-220=Europe/Berlin, fw2 = UTC");
        assertEquals(BERLIN, zones.zoneOf("PA-220"));
        assertEquals(ZoneId.of("UTC"), zones.zoneOf("fw2"));
        assertEquals(ZoneId.of("America/New_York"), zones.zoneOf("other"));
        assertEquals(ZoneId.of("America/New_York"), zones.zoneOf(null));
    }

    @Test
    void matchesDeviceNamesIgnoringCaseAndDomain() {
        DeviceTimeZones zones = DeviceTimeZones.parse("UTC", "PA-220=Europe/Berlin");
        assertEquals(BERLIN, zones.zoneOf("pa-220"));
        assertEquals(BERLIN, zones.zoneOf("PA-220.corp.example.com"));
        assertEquals(ZoneId.of("UTC"), zones.zoneOf("PA-2200"));
    }

    @Test
    void addressesDoNotFallBackToTheirFirstOctet() {
        DeviceTimeZones zones = DeviceTimeZones.parse("UTC", "10=Europe/Berlin,10.0.0.1=Asia/Tokyo");
        assertEquals(ZoneId.of("Asia/Tokyo"), zones.zoneOf("10.0.0.1"));
        assertEquals(ZoneId.of("UTC"), zones.zoneOf("10.0.0.2"));
    }

    @Test
    void emptyDefaultMeansSystemDefaultAndEmptySpecMeansNoDevices() {
        DeviceTimeZones zones = DeviceTimeZones.parse("", "");
        assertEquals(ZoneId.systemDefault(), zones.zoneOf("PA-220"));
        assertEquals(ZoneId.systemDefault(), DeviceTimeZones.parse(null, null).defaultZone());
        assertEquals(ZoneOffset.ofHours(2), DeviceTimeZones.parse("+02:00", " , ").defaultZone());
    }

    @Test
    void constructorTakesAMap() {
        DeviceTimeZones zones = new DeviceTimeZones(ZoneId.of("UTC"), Map.of("FW1", BERLIN));
        assertEquals(BERLIN, zones.zoneOf("fw1"));
    }

    @Test
    void explainsBadConfiguration() {
        assertMessage("unknown time zone 'Mars/Olympus'", () -> DeviceTimeZones.parse("Mars/Olympus", ""));
        assertMessage("expected device=zone, got 'PA-220'", () -> DeviceTimeZones.parse("UTC", "PA-220"));
        assertMessage("no device name in '=UTC'", () -> DeviceTimeZones.parse("UTC", "=UTC"));
        assertMessage("no time zone for device 'fw1'", () -> DeviceTimeZones.parse("UTC", "fw1="));
        assertMessage("time zone of device 'fw1': unknown time zone 'Nowhere'",
                () -> DeviceTimeZones.parse("UTC", "fw1=Nowhere"));
        assertMessage("device 'FW1' given twice", () -> DeviceTimeZones.parse("UTC", "fw1=UTC,FW1=UTC"));
    }

    private static void assertMessage(String expectedPart, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }
}
