package org.activedefense.ingest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeviceTagsTest {

    @Test
    void theFirstNamesKeepTheirTagAndLaterOnesShareOther() {
        DeviceTags tags = new DeviceTags(2);
        assertEquals("fw-a", tags.tagOf("fw-a"));
        assertEquals("fw-b", tags.tagOf("fw-b"));
        assertEquals("other", tags.tagOf("fw-c"));
        assertEquals("fw-a", tags.tagOf("fw-a"), "a known name keeps its tag after the cap is reached");
        for (int i = 0; i < 10_000; i++) {
            assertEquals("other", tags.tagOf("spoofed-" + i));
        }
    }

    @Test
    void longAndEmptyNamesAreTamed() {
        DeviceTags tags = new DeviceTags(5);
        assertEquals(64, tags.tagOf("x".repeat(5000)).length());
        assertEquals("unknown", tags.tagOf(""));
        assertEquals("unknown", tags.tagOf(null));
        assertEquals("other", new DeviceTags(0).tagOf("fw-a"));
    }
}
