package org.activedefense.admin;

/** A request that cannot be done as asked: 404 (no such thing) or 409 (conflicts with what exists). */
public final class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    public int status() {
        return status;
    }
}
