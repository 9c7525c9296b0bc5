package org.activedefense;

import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.activedefense.db.Database;
import org.activedefense.db.DatabaseSettings;
import org.activedefense.ingest.IngestMetrics;
import org.activedefense.ingest.LogBatchWriter;
import org.activedefense.ingest.LogBatchWriter.WriterSettings;
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
        LogBatchWriter writer = new LogBatchWriter(database.dataSource(), metrics, writerSettings);
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
        context.getRegistry().bind("syslogStreamFraming",
                new SyslogStreamFraming(maxFrame, Transport.TCP, allowlist, metrics));
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
                p.text("db.embedded.shared-buffers")));
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
