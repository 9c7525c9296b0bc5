package org.activedefense.admin;

/**
 * A request refused for who is asking: 401 (no or wrong credentials), 403 (too few rights, or a
 * change without the session's CSRF token) or 429 (too many failed logins from its address).
 */
public final class AccessDeniedException extends RuntimeException {

    private final int status;
    private final boolean basicChallenge;
    private final long retryAfterSeconds;

    public AccessDeniedException(int status, String message) {
        this(status, message, false, 0);
    }

    private AccessDeniedException(int status, String message, boolean basicChallenge, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.basicChallenge = basicChallenge;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 401 with a {@code WWW-Authenticate: Basic} challenge, for clients that send basic credentials. */
    public static AccessDeniedException challenge(String message) {
        return new AccessDeniedException(401, message, true, 0);
    }

    public static AccessDeniedException tooManyFailures(String message, long retryAfterSeconds) {
        return new AccessDeniedException(429, message, false, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public boolean basicChallenge() {
        return basicChallenge;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
