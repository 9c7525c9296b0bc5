package org.activedefense.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one PostgreSQL the service uses: an external server when {@code db.url} is set, otherwise an
 * embedded one whose data survives restarts; pooled, and migrated to the current schema on start.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private volatile EmbeddedPostgres embedded;
    private final HikariDataSource dataSource;
    private final String jdbcUrl;
    private final DatabaseSettings settings;

    private Database(EmbeddedPostgres embedded, HikariDataSource dataSource, String jdbcUrl, DatabaseSettings settings) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.settings = settings;
    }

    /** Connects (starting the embedded server first when {@code settings.url} is blank) and migrates. */
    public static Database open(DatabaseSettings settings) throws IOException {
        EmbeddedPostgres embedded = null;
        String url = settings.url();
        String user = settings.user();
        String password = settings.password();
        if (url == null || url.isBlank()) {
            embedded = startEmbedded(settings);
            url = embedded.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "";
        }
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("active-defense-db");
        pool.setJdbcUrl(withDriverDefaults(url));
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(settings.poolSize());
        // Fail fast at start rather than serving an EDL we cannot back with data.
        pool.setInitializationFailTimeout(Duration.ofSeconds(30).toMillis());
        // While the database is away a caller learns it after this long, not Hikari's default 30 s
        // (the ingest writers then spool, the EDL serves its last list).
        pool.setConnectionTimeout(settings.connectionTimeoutMs());
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(pool);
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw e;
        }
        Database database = new Database(embedded, dataSource, url, settings);
        database.migrate();
        return database;
    }

    private static EmbeddedPostgres startEmbedded(DatabaseSettings settings) throws IOException {
        return startEmbedded(settings, settings.embeddedPort());
    }

    private static EmbeddedPostgres startEmbedded(DatabaseSettings settings, int port) throws IOException {
        Path dataDir = Path.of(settings.embeddedDataDir()).toAbsolutePath();
        Files.createDirectories(dataDir);
        stopLeftoverPostmaster(dataDir);
        LOG.info("Starting embedded PostgreSQL with data in {}", dataDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                // zonky's own JVM shutdown hook would stop PostgreSQL while Camel is still writing the
                // queued lines on SIGTERM; the service stops it itself, after the writer (close()).
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // zonky turns synchronous_commit off for tests; a security log store keeps it on.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "100")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("shared_buffers", settings.embeddedSharedBuffers());
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres pg = builder.start();
        LOG.info("Embedded PostgreSQL listening on localhost:{} (user postgres, database postgres)", pg.getPort());
        return pg;
    }

    /**
     * Stops a PostgreSQL left running on our data folder by a previous run of the service that was
     * killed ({@code kill -9}, OOM killer): the embedded server is a separate process, so it outlives
     * the JVM, keeps the folder locked ({@code postmaster.pid}) and the port taken, and a new start
     * on the same folder would fail. SIGTERM is PostgreSQL's "smart" shutdown: the dead JVM's sessions
     * are gone already, so it checkpoints and exits; committed data is kept either way.
     */
    static void stopLeftoverPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        boolean ours = postmaster.isPresent()
                && Path.of(lines.get(1).trim()).toAbsolutePath().normalize().equals(dataDir.normalize())
                && postmaster.get().info().command().map(c -> c.endsWith("postgres")).orElse(false);
        if (!ours) {
            return; // a stale file from a crash of PostgreSQL itself: PostgreSQL handles that on start
        }
        LOG.warn("An embedded PostgreSQL (pid {}) from a previous run that did not stop cleanly still runs on {}; "
                + "stopping it before starting again", pid, dataDir);
        postmaster.get().destroy();
        try {
            postmaster.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the leftover PostgreSQL (pid " + pid + ") did not stop within 60 s; stop it and retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the leftover PostgreSQL to stop", e);
        } catch (ExecutionException e) {
            throw new IOException(e);
        }
        LOG.info("Leftover PostgreSQL (pid {}) stopped", pid);
    }

    private static String withDriverDefaults(String url) {
        // Batched INSERTs (device and reject upserts) become multi-row statements.
        if (url.contains("reWriteBatchedInserts")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    private void migrate() {
        var result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.info("Database schema at version {} ({} migration(s) applied now)",
                result.targetSchemaVersion, result.migrationsExecuted);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** The JDBC URL in use, without credentials. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** The port of the embedded server, or -1 for an external one. */
    public int embeddedPort() {
        return embedded == null ? -1 : embedded.getPort();
    }

    /**
     * Stops the embedded server (fast shutdown: open connections are ended) while the service keeps
     * running — an outage drill for tests and operators; {@link #startEmbeddedAgain} ends it.
     */
    public synchronized void stopEmbedded() throws IOException {
        if (embedded == null) {
            throw new IllegalStateException("the database is external; stop it where it runs");
        }
        LOG.warn("Stopping the embedded PostgreSQL (outage drill)");
        embedded.close();
    }

    /** Starts the embedded server again on the same data and port after {@link #stopEmbedded}. */
    public synchronized void startEmbeddedAgain() throws IOException {
        if (embedded == null) {
            throw new IllegalStateException("the database is external");
        }
        embedded = startEmbedded(settings, embedded.getPort());
    }

    @Override
    public void close() {
        dataSource.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        if (pg == null) {
            return;
        }
        try {
            pg.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
