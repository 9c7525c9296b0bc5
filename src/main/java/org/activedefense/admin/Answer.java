package org.activedefense.admin;

import java.io.InputStream;

/** An API answer other than a plain 200 with JSON: a status, and for downloads a stream. */
public record Answer(int status, Object body, String contentType, String fileName) {

    public static Answer created(Object body) {
        return new Answer(201, body, null, null);
    }

    public static Answer noContent() {
        return new Answer(204, null, null, null);
    }

    public static Answer status(int status, Object body) {
        return new Answer(status, body, null, null);
    }

    /** A file the browser saves, streamed from {@code body}. */
    public static Answer download(InputStream body, String contentType, String fileName) {
        return new Answer(200, body, contentType, fileName);
    }
}
