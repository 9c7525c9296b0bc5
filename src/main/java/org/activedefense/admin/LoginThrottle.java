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
    private final Map<String, State> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /** Recent failure times of one address, and until when it is locked out (0: not locked). */
    private static final class State {
        final Deque<Long> times = new ArrayDeque<>();
        long lockedUntil;
    }

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
        State state = failures.get(source);
        if (state == null) {
            return OptionalLong.empty();
        }
        long now = clock.getAsLong();
        if (state.lockedUntil > now) {
            return OptionalLong.of(Math.max(1, (state.lockedUntil - now + 999) / 1000));
        }
        prune(state, now);
        if (state.times.isEmpty()) {
            failures.remove(source);
        }
        return OptionalLong.empty();
    }

    /** Counts a failure; the one that reaches the limit locks the address out for a whole window. */
    public synchronized void failed(String source) {
        long now = clock.getAsLong();
        State state = failures.computeIfAbsent(source, s -> new State());
        prune(state, now);
        state.times.addLast(now);
        if (state.times.size() >= maxFailures) {
            state.lockedUntil = now + windowMillis;
            state.times.clear();
        }
    }

    public synchronized void succeeded(String source) {
        failures.remove(source);
    }

    private void prune(State state, long now) {
        while (!state.times.isEmpty() && state.times.peekFirst() <= now - windowMillis) {
            state.times.pollFirst();
        }
    }
}
