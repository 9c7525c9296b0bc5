package org.activedefense;

import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.activedefense.admin.AdminAccounts;
import org.activedefense.admin.AdminGate;
import org.activedefense.admin.BlacklistQuery;
import org.activedefense.admin.EngineControl;
import org.activedefense.admin.JsonResponses;
import org.activedefense.db.Database;
import org.activedefense.detect.DetectionEngine;
import org.activedefense.detect.DetectionSettings;
import org.activedefense.notify.DeviceSilenceWatch;
import org.activedefense.notify.MailOutbox;
import org.activedefense.notify.OffenderDigest;
import org.activedefense.notify.SmtpSettings;
import org.activedefense.policy.AddressPolicy;
import org.activedefense.publish.EdlHttp;
import org.activedefense.publish.EdlPublisher;
import org.activedefense.db.DatabaseSettings;
import org.activedefense.ingest.IngestMetrics;
import org.activedefense.ingest.LogBatchWriter;
import org.activedefense.ingest.LogBatchWriter.WriterSettings;
import org.activedefense.ingest.LogSpool;
import org.activedefense.ingest.SpoolHealthCheck;
import org.activedefense.ingest.SenderAllowlist;
import org.activedefense.ingest.SyslogDatagramFraming;
import org.activedefense.ingest.SyslogFrame.Transport;
import org.activedefense.ingest.SyslogIntake;
import org.activedefense.ingest.SyslogStreamFraming;
import org.activedefense.parse.DeviceTimeZones;
import org.activedefense.parse.KeyAliases;
import org.activedefense.parse.PanosLogParser;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Builds the beans whose construction needs code — the database (embedded or external, migrated),
 * the metrics registry, the parser and the batch writer — and binds them for the routes.
 *
 * <p>Everything is read from properties, so {@code application.properties}, profiles, environment
 * variables and {@code -D} options all apply.
 */
public final class ActiveDefenseConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings p = new Settings(context.getPropertiesComponent());

        IngestMetrics metrics = new IngestMetrics(meterRegistry(context));

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
        context.addService(new Lifecycle("log batch writer", writer::start, writer::stop), true, true);

        PanosLogParser parser = new PanosLogParser(
                KeyAliases.defaults().withOverrides(p.withPrefix("panos.kv.keys.")),
                DeviceTimeZones.parse(p.text("ingest.default-time-zone"), p.text("ingest.device-time-zones")),
                p.bool("ingest.keep-raw-line"));
        SenderAllowlist allowlist = SenderAllowlist.parse(p.text("syslog.allowed-senders"));
        int maxFrame = p.integer("syslog.max-frame-bytes");

        context.getRegistry().bind("ingestMetrics", metrics);
        context.getRegistry().bind("logBatchWriter", writer);
        context.getRegistry().bind("syslogIntake", new SyslogIntake(parser, writer, metrics));
        context.getRegistry().bind("syslogDatagramFraming", new SyslogDatagramFraming(maxFrame, allowlist, metrics));
        // a netty channel option must be an Integer, and Camel passes option.* values from the URI as text
        context.getRegistry().bind("udpMaxMessagesPerRead", p.integer("syslog.udp.max-datagrams-per-read"));
        context.getRegistry().bind("syslogStreamFraming",
                new SyslogStreamFraming(maxFrame, Transport.TCP, allowlist, metrics));

        configureDetection(context, p, database);
        configureAdmin(context, p, database);
    }

    private static void configureDetection(CamelContext context, Settings p, Database database) {
        DetectionSettings detection = new DetectionSettings(
                p.integer("detect.port-scan.ports"),
                p.integer("detect.port-scan.window-minutes"),
                p.integer("detect.host-sweep.hosts"),
                p.integer("detect.host-sweep.window-minutes"),
                p.integer("detect.vulnerability.level"),
                p.list("detect.vulnerability.subtypes"),
                p.integer("detect.vulnerability.window-minutes"),
                p.integer("detect.refresh-window-minutes"),
                java.util.Set.copyOf(p.list("detect.simulate-cases")));
        AddressPolicy policy = AddressPolicy.of(p.text("policy.own-networks"), p.text("policy.allowlist"));
        context.getRegistry().bind("addressPolicy", policy);
        MeterRegistry meters = meterRegistry(context);
        context.getRegistry().bind("detectionEngine",
                new DetectionEngine(database.dataSource(), () -> detection, policy, p.text("camel.main.name"),
                        p.integer("detect.work-mem-mb"), meters));

        EdlPublisher edl = new EdlPublisher(database.dataSource(), p.integer("edl.max-entries"),
                p.bool("edl.aggregate-cidrs"), p.integer("edl.cache-seconds"),
                p.text("edl.username"), p.text("edl.password"), meters);
        context.getRegistry().bind("edlPublisher", edl);
        context.getRegistry().bind("edlHttp", new EdlHttp(edl));

        SmtpSettings smtp = new SmtpSettings(p.text("mail.smtp.host"), p.integer("mail.smtp.port"),
                p.text("mail.smtp.username"), p.text("mail.smtp.password"), p.text("mail.smtp.security"),
                p.integer("mail.smtp.timeout-ms"));
        context.getRegistry().bind("smtpSettings", smtp);
        context.getRegistry().bind("mailSession", smtp.session());
        String zone = p.text("mail.time-zone");
        context.getRegistry().bind("offenderDigest", new OffenderDigest(p.integer("mail.max-addresses-per-mail"),
                zone.isEmpty() ? java.time.ZoneId.systemDefault() : java.time.ZoneId.of(zone)));
        context.getRegistry().bind("mailOutbox", new MailOutbox(java.nio.file.Path.of(p.text("mail.outbox-dir"))));
        context.getRegistry().bind("deviceSilenceWatch",
                new DeviceSilenceWatch(database.dataSource(), p.integer("notify.device-silence-minutes")));
    }

    private static void configureAdmin(CamelContext context, Settings p, Database database) throws SQLException {
        AdminAccounts accounts = new AdminAccounts(database.dataSource());
        accounts.ensureFirstAdmin(p.text("admin.username"), p.text("admin.password"));
        context.getRegistry().bind("adminGate", new AdminGate(accounts));
        context.getRegistry().bind("jsonResponses", new JsonResponses());
        context.getRegistry().bind("blacklistQuery", new BlacklistQuery(database.dataSource()));
        context.getRegistry().bind("engineControl", new EngineControl(context,
                List.of("detect-attackers", "expire-blacklist", "drop-old-logs", "watch-device-silence")));
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
