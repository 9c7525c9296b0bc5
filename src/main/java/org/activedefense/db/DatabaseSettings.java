package org.activedefense.db;

/** Where the database is and how to reach it, from the {@code db.*} properties. */
public record DatabaseSettings(
        String url,
        String user,
        String password,
        int poolSize,
        String embeddedDataDir,
        int embeddedPort,
        String embeddedSharedBuffers,
        int connectionTimeoutMs) {
}
