package org.activedefense.admin;

/** A request without valid admin credentials (401) or with too few rights (403). */
public final class AccessDeniedException extends RuntimeException {

    private final int status;

    public AccessDeniedException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
