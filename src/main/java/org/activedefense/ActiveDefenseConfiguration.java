package org.activedefense;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.activedefense.admin.AccountApi;
import org.activedefense.admin.AdminAccounts;
import org.activedefense.admin.AdminGate;
import org.activedefense.admin.AllowlistApi;
import org.activedefense.admin.AuditLog;
import org.activedefense.admin.BlacklistApi;
import org.activedefense.admin.ConsoleSessions;
import org.activedefense.admin.DashboardApi;
import org.activedefense.admin.DetectionRunsApi;
import org.activedefense.admin.DevicesApi;
import org.activedefense.admin.EngineApi;
import org.activedefense.admin.EngineControl;
import org.activedefense.admin.JsonResponses;
import org.activedefense.admin.LoginThrottle;
import org.activedefense.admin.MailApi;
import org.activedefense.admin.RecordSearch;
import org.activedefense.admin.SettingsApi;
import org.activedefense.cluster.QuartzCluster;
import org.activedefense.db.Database;
import org.activedefense.detect.DetectionEngine;
import org.activedefense.detect.DetectionSchedule;
import org.activedefense.notify.DeviceSilenceWatch;
import org.activedefense.observe.DetectionMetrics;
import org.activedefense.observe.Engine;
import org.activedefense.observe.HealthReport;
import org.activedefense.observe.MailMetrics;
import org.activedefense.observe.ManagementLogin;
import org.activedefense.observe.ServiceHealthChecks;
import org.activedefense.notify.MailOutbox;
import org.activedefense.notify.OffenderDigest;
import org.activedefense.notify.MailSettings;
import org.activedefense.policy.AddressPolicy;
import org.activedefense.publish.EdlHttp;
import org.activedefense.publish.EdlPublisher;
import org.activedefense.db.DatabaseSettings;
import org.activedefense.ingest.IngestCheckpoint;
import org.activedefense.ingest.IngestMetrics;
import org.activedefense.ingest.LogBatchWriter;
import org.activedefense.ingest.LogBatchWriter.WriterSettings;
import org.activedefense.ingest.LogSpool;
import org.activedefense.ingest.SpoolHealthCheck;
import org.activedefense.ingest.SenderAllowlist;
import org.activedefense.ingest.SyslogDatagramFraming;
import org.activedefense.ingest.SyslogConnectionGuard;
import org.activedefense.ingest.SyslogFrame.Transport;
import org.activedefense.ingest.SyslogIntake;
import org.activedefense.ingest.SyslogStreamFraming;
import org.activedefense.parse.DeviceTimeZones;
import org.activedefense.settings.SettingsStore;
import org.activedefense.parse.KeyAliases;
import org.activedefense.parse.PanosLogParser;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Builds the beans whose construction needs code — the database (embedded or external, migrated),
 * the metrics registry, the parser and the batch writer — and binds them for the routes.
 *
 * <p>Everything is read from properties, so {@code application.properties}, profiles, environment
 * variables and {@code -D} options all apply.
 */
public final class ActiveDefenseConfiguration implements CamelConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ActiveDefenseConfiguration.class);
    /** How often the ingest checkpoint file is rewritten. */
    private static final long CHECKPOINT_PERIOD_MS = 1000;
    /** Quartz worker threads: detection, two housekeeping jobs, and one spare. */
    private static final int QUARTZ_THREADS = 4;

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings p = new Settings(context.getPropertiesComponent());

        IngestMetrics metrics = new IngestMetrics(meterRegistry(context), p.integer("syslog.sender-metrics.max-senders"),
                p.integer("metrics.max-device-tags"));

        Database database = openDatabase(p);
        // Services stop in reverse order: the writer flushes before the database goes away.
        context.addService(new Lifecycle("database", () -> { }, database::close), true, true);
        context.getRegistry().bind("dataSource", database.dataSource());
        context.getRegistry().bind("database", database);

        WriterSettings writerSettings = new WriterSettings(
                p.integer("ingest.batch-size"),
                p.integer("ingest.batch-max-latency-ms"),
                p.integer("ingest.queue-capacity"),
                p.integer("ingest.writer-threads"),
                p.integer("ingest.rejected-raw-max-chars"),
                p.integer("ingest.partitions-ahead-days"),
                p.integer("ingest.shutdown-timeout-ms"));
        LogSpool.Settings spoolSettings = LogSpool.Settings.of(p.text("ingest.spool.dir"),
                p.integer("ingest.spool.max-mb"), p.text("ingest.spool.when-full"));
        LogSpool spool = spoolSettings.enabled() ? LogSpool.open(spoolSettings, meterRegistry(context)) : null;
        LogBatchWriter writer = new LogBatchWriter(database.dataSource(), metrics, writerSettings, spool);
        if (spool != null) {
            // found by Camel's health registry among the bound beans; readiness only
            context.getRegistry().bind("ingestSpoolHealthCheck", new SpoolHealthCheck(writer));
        }
        writer.ensurePartitions();
        // Added before the writer, so it stops after it: the clean stop is recorded once the queue is written.
        IngestCheckpoint checkpoint = new IngestCheckpoint(Path.of(p.text("ingest.checkpoint-file")),
                metrics::inFlight, CHECKPOINT_PERIOD_MS);
        context.addService(new Lifecycle("ingest checkpoint", checkpoint::start, checkpoint::stop), true, true);
        context.addService(new Lifecycle("log batch writer", writer::start, writer::stop), true, true);

        DeviceTimeZones zones = DeviceTimeZones.parse(p.text("ingest.default-time-zone"), p.text("ingest.device-time-zones"));
        context.getRegistry().bind("deviceTimeZones", zones);
        PanosLogParser parser = new PanosLogParser(
                KeyAliases.defaults().withOverrides(p.withPrefix("panos.kv.keys.")), zones, p.bool("ingest.keep-raw-line"));
        SenderAllowlist allowlist = SenderAllowlist.parse(p.text("syslog.allowed-senders"));
        int maxFrame = p.integer("syslog.max-frame-bytes");

        context.getRegistry().bind("ingestMetrics", metrics);
        context.getRegistry().bind("logBatchWriter", writer);
        SyslogIntake intake = new SyslogIntake(parser, writer, metrics);
        context.getRegistry().bind("syslogIntake", intake);
        context.getRegistry().bind("syslogDatagramFraming", new SyslogDatagramFraming(maxFrame, allowlist, metrics));
        // a netty channel option must be an Integer, and Camel passes option.* values from the URI as text
        context.getRegistry().bind("udpMaxMessagesPerRead", p.integer("syslog.udp.max-datagrams-per-read"));
        context.getRegistry().bind("syslogStreamFraming",
                new SyslogStreamFraming(maxFrame, Transport.TCP, allowlist, metrics));
        // syslog over TLS (RFC 5425): the same octet-counted framing behind netty's TLS handler
        context.getRegistry().bind("syslogTlsFraming",
                new SyslogStreamFraming(maxFrame, Transport.TLS, allowlist, metrics));
        org.activedefense.tls.TlsSetup.configure(context, meterRegistry(context));
        SyslogConnectionGuard guard = new SyslogConnectionGuard(p.integer("syslog.tcp.max-connections"),
                p.integer("syslog.tcp.max-connections-per-sender"), p.integer("syslog.tcp.idle-timeout-seconds"), metrics);
        context.getRegistry().bind("syslogConnectionGuard", guard);
        drainConnectionsOnStop(context, guard, intake, metrics, p.integer("syslog.tcp.stop-quiet-ms"),
                p.integer("syslog.tcp.stop-drain-max-ms"));

        SettingsStore settings = new SettingsStore(database.dataSource(), p::text);
        settings.reload();
        context.getRegistry().bind("settingsStore", settings);
        configureCluster(context, p, database);
        configureDetection(context, p, database, settings);
        configureAdmin(context, p, database, settings, zones);
        configureMonitoring(context, p, database);
    }

    /** The management port's login, our health checks and the JMX operations operators may call (issue 5). */
    private static void configureMonitoring(CamelContext context, Settings p, Database database) throws Exception {
        ManagementLogin.Login login = ManagementLogin.ensure(java.nio.file.Path.of(p.text("management.users-file")),
                p.text("management.username"), p.text("management.password"));
        if (login.generated()) {
            org.slf4j.LoggerFactory.getLogger(ManagementLogin.class).warn(
                    "Generated the management port login '{}' with the password: {}  (kept in {}; set "
                            + "management.password to choose one)", login.username(), login.password(),
                    p.text("management.users-file"));
        }
        ServiceHealthChecks.register(context, database.dataSource(), p.integer("health.detection-max-age-minutes"));
        context.getRegistry().bind("healthReport", new HealthReport(context));
        context.getRegistry().bind("detectionMetrics", new DetectionMetrics(meterRegistry(context)));
        context.getRegistry().bind("mailMetrics", new MailMetrics(meterRegistry(context)));
        // JMX operations for Hawtio/Jolokia: run detection, engine on/off
        Engine engine = new Engine(context, context.getRegistry().lookupByNameAndType("engineControl", EngineControl.class));
        context.addService(new Lifecycle("engine MBean", engine::register, engine::unregister), true, true);
    }

    /**
     * When the service stops, lets the TCP listener go on reading until the senders have been quiet
     * for {@code quietMs} (at most {@code maxMs}) before Camel stops the routes and closes the
     * sockets: lines a sender wrote just before the stop are still in the kernel's buffers, and a
     * socket closed with unread data is reset and loses them.
     */
    private static void drainConnectionsOnStop(CamelContext context, SyslogConnectionGuard guard, SyslogIntake intake,
                                               IngestMetrics metrics, int quietMs, int maxMs) {
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }

            @Override
            public void notify(CamelEvent event) throws Exception {
                int open = guard.openConnections();
                LOG.info("Stopping: {} line(s) received and not yet written (they are written before the database "
                        + "closes); {} syslog TCP connection(s) open", metrics.inFlight(), open);
                if (open == 0 || maxMs <= 0) {
                    return;
                }
                LOG.info("Stopping: reading the open syslog connection(s) until quiet for {} ms (at most {} ms)",
                        quietMs, maxMs);
                if (!guard.awaitQuiet(quietMs, maxMs, intake::readersWaiting)) {
                    LOG.warn("Stopping: syslog senders still sending after {} ms; what they send from now on is lost", maxMs);
                } else {
                    LOG.info("Stopping: syslog senders quiet; {} line(s) now to write", metrics.inFlight());
                }
            }
        });
    }

    /**
     * With {@code cluster.enabled}, the quartz component keeps its schedule in PostgreSQL (Quartz's
     * clustered JDBC job store), so each trigger fires on one node of those sharing the database;
     * without it, in memory, as a single node needs.
     */
    private static void configureCluster(CamelContext context, Settings p, Database database) {
        if (!p.bool("cluster.enabled")) {
            return;
        }
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(new java.util.HashMap<>(QuartzCluster.schedulerProperties(database.dataSource(),
                p.text("camel.main.name"), p.integer("cluster.checkin-interval-ms"), QUARTZ_THREADS)));
        // the scheduler name is the same on every node; no per-context prefix
        quartz.setPrefixInstanceName(false);
        context.addComponent("quartz", quartz);
        LOG.info("Cluster mode: Quartz schedules are shared through the database ({}); this node is '{}'",
                database.jdbcUrl(), nodeName(p));
    }

    /** This node's name in detection_run.node: cluster.node-name, or host name and HTTP port. */
    static String nodeName(Settings p) {
        String configured = p.text("cluster.node-name");
        if (!configured.isEmpty()) {
            return configured;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + p.text("http.port");
    }

    private static void configureDetection(CamelContext context, Settings p, Database database, SettingsStore settings) {
        // Checked at start, so a bad threshold in the file stops the service with its name.
        settings.detectionSettings();
        AddressPolicy policy = AddressPolicy.of(p.text("policy.own-networks"), p.text("policy.allowlist"));
        context.getRegistry().bind("addressPolicy", policy);
        MeterRegistry meters = meterRegistry(context);
        context.getRegistry().bind("detectionEngine",
                new DetectionEngine(database.dataSource(), settings::detectionSettings, policy, nodeName(p),
                        p.integer("detect.work-mem-mb"), meters));

        EdlPublisher edl = new EdlPublisher(database.dataSource(), () -> settings.integer("edl.max-entries"),
                () -> settings.bool("edl.aggregate-cidrs"), p.integer("edl.cache-seconds"),
                p.text("edl.username"), p.text("edl.password"), meters);
        context.getRegistry().bind("edlPublisher", edl);
        settings.addListener(keys -> {
            if (keys.stream().anyMatch(k -> k.startsWith("edl."))) {
                edl.invalidate();
            }
        });
        context.getRegistry().bind("edlHttp", new EdlHttp(edl));

        context.getRegistry().bind("mailSettings", new MailSettings(settings, context, p.integer("mail.smtp.timeout-ms")));
        String zone = p.text("mail.time-zone");
        context.getRegistry().bind("offenderDigest", new OffenderDigest(p.integer("mail.max-addresses-per-mail"),
                zone.isEmpty() ? java.time.ZoneId.systemDefault() : java.time.ZoneId.of(zone)));
        context.getRegistry().bind("mailOutbox", new MailOutbox(java.nio.file.Path.of(p.text("mail.outbox-dir"))));
        context.getRegistry().bind("deviceSilenceWatch",
                new DeviceSilenceWatch(database.dataSource(), p.integer("notify.device-silence-minutes")));
    }

    private static void configureAdmin(CamelContext context, Settings p, Database database, SettingsStore settings,
                                       DeviceTimeZones zones) throws Exception {
        javax.sql.DataSource ds = database.dataSource();
        AdminAccounts accounts = new AdminAccounts(ds);
        accounts.ensureFirstAdmin(p.text("admin.username"), p.text("admin.password"));
        AuditLog audit = new AuditLog(ds);
        ConsoleSessions sessions = new ConsoleSessions(ds, Duration.ofMinutes(p.integer("admin.session.idle-minutes")),
                Duration.ofHours(p.integer("admin.session.max-hours")));
        LoginThrottle throttle = new LoginThrottle(p.integer("admin.login.max-failures"),
                Duration.ofMinutes(p.integer("admin.login.window-minutes")).toMillis(), System::currentTimeMillis);
        AdminGate gate = new AdminGate(accounts, sessions, throttle, audit);
        DetectionSchedule schedule = new DetectionSchedule(context, settings);
        context.addStartupListener(new org.apache.camel.ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                schedule.apply();
            }
        });
        EngineControl engine = new EngineControl(context,
                List.of("detect-attackers", "expire-blacklist", "drop-old-logs", "watch-device-silence"), schedule::apply);
        DetectionEngine detection = context.getRegistry().lookupByNameAndType("detectionEngine", DetectionEngine.class);
        EdlPublisher edl = context.getRegistry().lookupByNameAndType("edlPublisher", EdlPublisher.class);
        DevicesApi devices = new DevicesApi(ds, zones, Duration.ofMinutes(p.integer("notify.device-silence-minutes")), audit);
        devices.reloadZones();
        DetectionRunsApi runs = new DetectionRunsApi(ds);

        context.getRegistry().bind("adminGate", gate);
        context.getRegistry().bind("jsonResponses", new JsonResponses());
        context.getRegistry().bind("auditLog", audit);
        context.getRegistry().bind("engineControl", engine);
        context.getRegistry().bind("engineApi", new EngineApi(engine, audit));
        context.getRegistry().bind("accountApi", new AccountApi(accounts, sessions, gate, audit));
        context.getRegistry().bind("recordSearch", new RecordSearch(ds, p.integer("admin.export.max-rows")));
        context.getRegistry().bind("blacklistApi", new BlacklistApi(ds, detection, edl, audit));
        context.getRegistry().bind("allowlistApi", new AllowlistApi(ds, p.list("policy.allowlist"), audit));
        context.getRegistry().bind("detectionRunsApi", runs);
        context.getRegistry().bind("devicesApi", devices);
        context.getRegistry().bind("dashboardApi", new DashboardApi(ds, devices, runs, engine));
        context.getRegistry().bind("settingsApi", new SettingsApi(settings, audit));
        context.getRegistry().bind("mailApi", new MailApi(
                context.getRegistry().lookupByNameAndType("mailSettings", MailSettings.class),
                context.createProducerTemplate(), audit));
    }

    /** The registry /observe/metrics exports: camel-main's when metrics are on, else our own. */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry existing = context.getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }

    private static Database openDatabase(Settings p) throws IOException {
        return Database.open(new DatabaseSettings(
                p.text("db.url"),
                p.text("db.user"),
                p.text("db.password"),
                p.integer("db.pool-size"),
                p.text("db.embedded.data-dir"),
                p.integer("db.embedded.port"),
                p.text("db.embedded.shared-buffers"),
                p.integer("db.connection-timeout-ms")));
    }

    /** Reads typed properties with an error that names the property. */
    private record Settings(PropertiesComponent properties) {

        String text(String key) {
            return properties.resolveProperty(key).map(String::trim).orElse("");
        }

        int integer(String key) {
            String value = text(key);
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
            }
        }

        boolean bool(String key) {
            String value = text(key);
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        }

        java.util.List<String> list(String key) {
            return java.util.Arrays.stream(text(key).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        }

        Map<String, String> withPrefix(String prefix) {
            Map<String, String> found = new LinkedHashMap<>();
            properties.loadProperties(k -> k.startsWith(prefix))
                    .forEach((k, v) -> found.put(k.toString().substring(prefix.length()), v.toString().trim()));
            return found;
        }
    }

    /** Runs a plain object's start and stop with the Camel context's, without making it a Camel type. */
    private static final class Lifecycle extends ServiceSupport {
        private final String name;
        private final Runnable start;
        private final Runnable stop;

        Lifecycle(String name, Runnable start, Runnable stop) {
            this.name = name;
            this.start = start;
            this.stop = stop;
        }

        @Override
        protected void doStart() {
            start.run();
        }

        @Override
        protected void doStop() {
            stop.run();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
