package org.activedefense.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(3, 60_000, now::get);

    @Test
    void anAddressIsLockedAfterTheLimitUntilTheWindowPasses() {
        throttle.failed("198.51.100.1");
        throttle.failed("198.51.100.1");
        assertTrue(throttle.lockedFor("198.51.100.1").isEmpty());
        now.addAndGet(10_000);
        throttle.failed("198.51.100.1");
        assertEquals(60, throttle.lockedFor("198.51.100.1").getAsLong());
        assertTrue(throttle.lockedFor("198.51.100.2").isEmpty(), "other addresses are not affected");
        now.addAndGet(59_000);
        assertEquals(1, throttle.lockedFor("198.51.100.1").getAsLong());
        now.addAndGet(1_000);
        assertTrue(throttle.lockedFor("198.51.100.1").isEmpty(), "a whole window after the failure that locked it");
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        throttle.failed("198.51.100.1");
        now.addAndGet(61_000);
        throttle.failed("198.51.100.1");
        throttle.failed("198.51.100.1");
        assertTrue(throttle.lockedFor("198.51.100.1").isEmpty());
    }

    @Test
    void aSuccessClearsTheCount() {
        throttle.failed("198.51.100.1");
        throttle.failed("198.51.100.1");
        throttle.succeeded("198.51.100.1");
        throttle.failed("198.51.100.1");
        throttle.failed("198.51.100.1");
        assertTrue(throttle.lockedFor("198.51.100.1").isEmpty());
    }
}
