package org.activedefense.ingest;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.activedefense.ServiceContext;
import org.activedefense.ingest.LogBatchWriter.WriterSettings;
import org.activedefense.ingest.SyslogFrame.Transport;
import org.activedefense.parse.DeviceTimeZones;
import org.activedefense.parse.KeyAliases;
import org.activedefense.parse.PanosLogParser;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the ingest flow: the syslog listeners' framing and connection guard, the parser, the
 * intake, the batch writer with its spool, and the in-flight checkpoint.
 */
public final class IngestConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IngestConfiguration.class);
    /** How often the ingest checkpoint file is rewritten. */
    private static final long CHECKPOINT_PERIOD_MS = 1000;

    @Override
    public void configure(CamelContext context) throws Exception {
        ServiceContext p = ServiceContext.of(context);
        DataSource dataSource = p.require("dataSource", DataSource.class);
        IngestMetrics metrics = new IngestMetrics(p.meters(), p.integer("syslog.sender-metrics.max-senders"),
                p.integer("metrics.max-device-tags"));

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
        LogSpool spool = spoolSettings.enabled() ? LogSpool.open(spoolSettings, p.meters()) : null;
        LogBatchWriter writer = new LogBatchWriter(dataSource, metrics, writerSettings, spool);
        if (spool != null) {
            // found by Camel's health registry among the bound beans; readiness only
            p.bind("ingestSpoolHealthCheck", new SpoolHealthCheck(writer));
        }
        writer.ensurePartitions();
        // Added before the writer, so it stops after it: the clean stop is recorded once the queue is written.
        IngestCheckpoint checkpoint = new IngestCheckpoint(Path.of(p.text("ingest.checkpoint-file")),
                metrics::inFlight, CHECKPOINT_PERIOD_MS);
        p.onStartAndStop("ingest checkpoint", checkpoint::start, checkpoint::stop);
        p.onStartAndStop("log batch writer", writer::start, writer::stop);

        DeviceTimeZones zones = p.bind("deviceTimeZones",
                DeviceTimeZones.parse(p.text("ingest.default-time-zone"), p.text("ingest.device-time-zones")));
        PanosLogParser parser = new PanosLogParser(
                KeyAliases.defaults().withOverrides(p.withPrefix("panos.kv.keys.")), zones, p.bool("ingest.keep-raw-line"));
        SenderAllowlist allowlist = SenderAllowlist.parse(p.text("syslog.allowed-senders"));
        int maxFrame = p.integer("syslog.max-frame-bytes");

        p.bind("ingestMetrics", metrics);
        p.bind("logBatchWriter", writer);
        SyslogIntake intake = p.bind("syslogIntake", new SyslogIntake(parser, writer, metrics));
        p.bind("syslogDatagramFraming", new SyslogDatagramFraming(maxFrame, allowlist, metrics));
        // a netty channel option must be an Integer, and Camel passes option.* values from the URI as text
        p.bind("udpMaxMessagesPerRead", p.integer("syslog.udp.max-datagrams-per-read"));
        p.bind("syslogStreamFraming", new SyslogStreamFraming(maxFrame, Transport.TCP, allowlist, metrics));
        // syslog over TLS (RFC 5425): the same octet-counted framing behind netty's TLS handler
        p.bind("syslogTlsFraming", new SyslogStreamFraming(maxFrame, Transport.TLS, allowlist, metrics));
        SyslogConnectionGuard guard = p.bind("syslogConnectionGuard", new SyslogConnectionGuard(
                p.integer("syslog.tcp.max-connections"), p.integer("syslog.tcp.max-connections-per-sender"),
                p.integer("syslog.tcp.idle-timeout-seconds"), metrics));
        drainConnectionsOnStop(context, guard, intake, metrics, p.integer("syslog.tcp.stop-quiet-ms"),
                p.integer("syslog.tcp.stop-drain-max-ms"));
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
}
