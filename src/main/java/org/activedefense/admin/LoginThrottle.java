package org.activedefense.admin;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Counts failed logins per source address and locks an address out for the rest of the window
 * once it reaches the limit, so passwords cannot be guessed at the speed of the network.
 *
 * <p>Per node and in memory: an attacker spread over several nodes gets the limit once per node,
 * which still caps guessing at a handful per minute. The table is bounded; when full, the address
 * heard from least recently is forgotten first.
 */
public final class LoginThrottle {

    private static final int MAX_ADDRESSES = 100_000;

    private final int maxFailures;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public LoginThrottle(int maxFailures, long windowMillis, LongSupplier clock) {
        if (maxFailures < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("admin.login.max-failures and admin.login.window-minutes must be positive");
        }
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** Seconds until {@code source} may try again, when it is locked out now. */
    public synchronized OptionalLong lockedFor(String source) {
        Deque<Long> times = failures.get(source);
        if (times == null) {
            return OptionalLong.empty();
        }
        long now = clock.getAsLong();
        while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
            times.pollFirst();
        }
        if (times.isEmpty()) {
            failures.remove(source);
            return OptionalLong.empty();
        }
        if (times.size() < maxFailures) {
            return OptionalLong.empty();
        }
        long until = times.peekLast() + windowMillis;
        return OptionalLong.of(Math.max(1, (until - now + 999) / 1000));
    }

    public synchronized void failed(String source) {
        Deque<Long> times = failures.computeIfAbsent(source, s -> new ArrayDeque<>());
        times.addLast(clock.getAsLong());
        while (times.size() > maxFailures) {
            times.pollFirst();
        }
    }

    public synchronized void succeeded(String source) {
        failures.remove(source);
    }
}
