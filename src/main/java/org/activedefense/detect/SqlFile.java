package org.activedefense.detect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads a statement from {@code src/main/resources/sql/}, where the longer SQL of the project lives. */
public final class SqlFile {

    private SqlFile() {
    }

    public static String load(String name) {
        try (InputStream in = SqlFile.class.getResourceAsStream("/sql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL file sql/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
