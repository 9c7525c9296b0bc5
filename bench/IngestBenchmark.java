import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Measures end-to-end PAN-OS syslog ingest (TCP and UDP into PostgreSQL) against PostgreSQL's own
 * COPY ceiling measured in the same run, by driving the real service jar from outside.
 *
 * <p>Run from the repository root with the service jar on the class path (for the JDBC driver):
 * {@code java -cp target/active-defense.jar bench/IngestBenchmark.java [--key=value ...]};
 * {@code --help} lists the options. See docs/benchmarks.md for how to read the output.
 */
public final class IngestBenchmark {

    /** Command-line settings, as {@code --key=value}. */
    static final class Options {
        long lines = 3_000_000;
        int connections = 4;
        int udpRate = 50_000;
        int udpSeconds = 20;
        int udpSenders = 2;
        long udpWarmupLines = 200_000;
        int runs = 3;
        Path jar = Path.of("target/active-defense.jar");
        Path repo = Path.of("").toAbsolutePath();
        Path outDir;
        Boolean keepRaw;
        List<String> extraJvmOpts = new ArrayList<>();
        List<String> serviceProps = new ArrayList<>();
        String serviceHeap = "512m";
        boolean keepData;
        boolean withDetection;
        long seed = 20261122L;
        int sample;
        Set<String> phases = new LinkedHashSet<>(List.of("copy", "tcp", "udp"));

        static Options parse(String[] args) {
            Options o = new Options();
            Map<String, String> given = new LinkedHashMap<>();
            for (String a : args) {
                if (a.equals("--help") || a.equals("-h")) {
                    System.out.println(HELP);
                    System.exit(0);
                }
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("not an option: " + a + " (use --key=value; --help)");
                }
                int eq = a.indexOf('=');
                String key = eq < 0 ? a.substring(2) : a.substring(2, eq);
                String value = eq < 0 ? "true" : a.substring(eq + 1);
                if (key.equals("service-props")) {
                    // repeatable; each occurrence may hold several comma-separated key=value pairs
                    for (String p : value.split(",")) {
                        if (!p.isBlank()) {
                            o.serviceProps.add(p.trim());
                        }
                    }
                } else if (key.equals("service-prop")) {
                    o.serviceProps.add(value.trim());
                } else {
                    given.put(key, value);
                }
            }
            if (Boolean.parseBoolean(given.getOrDefault("quick", "false"))) {
                // a smoke test: small, one run, short UDP phase; explicit options still win
                o.lines = 300_000;
                o.runs = 1;
                o.udpSeconds = 5;
            }
            for (Map.Entry<String, String> e : given.entrySet()) {
                String v = e.getValue();
                switch (e.getKey()) {
                    case "quick" -> { }
                    case "lines" -> o.lines = parseCount(v);
                    case "connections" -> o.connections = Integer.parseInt(v);
                    case "udp-rate" -> o.udpRate = (int) parseCount(v);
                    case "udp-seconds" -> o.udpSeconds = Integer.parseInt(v);
                    case "udp-senders" -> o.udpSenders = Integer.parseInt(v);
                    case "udp-warmup-lines" -> o.udpWarmupLines = parseCount(v);
                    case "runs" -> o.runs = Integer.parseInt(v);
                    case "jar" -> o.jar = Path.of(v);
                    case "repo" -> o.repo = Path.of(v).toAbsolutePath();
                    case "out-dir" -> o.outDir = Path.of(v).toAbsolutePath();
                    case "keep-raw" -> o.keepRaw = Boolean.parseBoolean(v);
                    case "extra-jvm-opts" -> o.extraJvmOpts.addAll(splitWords(v));
                    case "service-heap" -> o.serviceHeap = v;
                    case "keep-data" -> o.keepData = Boolean.parseBoolean(v);
                    case "with-detection" -> o.withDetection = Boolean.parseBoolean(v);
                    case "seed" -> o.seed = Long.parseLong(v);
                    case "sample" -> o.sample = Integer.parseInt(v);
                    case "phases" -> {
                        o.phases = new LinkedHashSet<>(Arrays.asList(v.toLowerCase(Locale.ROOT).split("\\s*,\\s*")));
                        if (!Set.of("copy", "tcp", "udp").containsAll(o.phases) || o.phases.isEmpty()) {
                            throw new IllegalArgumentException("--phases takes a list of copy, tcp, udp");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option --" + e.getKey() + " (--help)");
                }
            }
            if (!o.withDetection && o.serviceProps.stream().noneMatch(p -> p.startsWith("detect.cron="))) {
                // Detection fires on the wall clock (every 5 minutes) and scans the rows we just sent;
                // measured ingest should not depend on where the phase falls against that clock.
                o.serviceProps.add("detect.cron=0 0 0 1 1 ? 2099");
            }
            if (o.lines < 1 || o.connections < 1 || o.udpRate < 1 || o.udpSeconds < 0 || o.runs < 1 || o.udpSenders < 1) {
                throw new IllegalArgumentException("counts must be positive");
            }
            o.jar = o.jar.isAbsolute() ? o.jar : o.repo.resolve(o.jar);
            if (o.outDir == null) {
                o.outDir = Path.of("/tmp", "ingest-bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            }
            return o;
        }

        /** Accepts 3000000, 3_000_000, 3m, 300k. */
        private static long parseCount(String v) {
            String s = v.trim().toLowerCase(Locale.ROOT).replace("_", "");
            long mult = 1;
            if (s.endsWith("k")) {
                mult = 1_000;
                s = s.substring(0, s.length() - 1);
            } else if (s.endsWith("m")) {
                mult = 1_000_000;
                s = s.substring(0, s.length() - 1);
            }
            return Math.round(Double.parseDouble(s) * mult);
        }

        private static List<String> splitWords(String v) {
            List<String> out = new ArrayList<>();
            for (String w : v.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
            return out;
        }

        static final String HELP = """
                IngestBenchmark: TCP and UDP syslog ingest of the ActiveDefense service vs PostgreSQL COPY.
                Run from the repository root:  java -cp <service jar> bench/IngestBenchmark.java [options]
                  --lines=N            lines sent over TCP, and rows COPYed for the baseline (3000000; 300k, 3m ok)
                  --connections=C      TCP connections sending in parallel (4)
                  --udp-rate=R         UDP lines offered per second (50000)
                  --udp-seconds=D      how long UDP is offered (20)
                  --udp-senders=S      UDP sender threads (2)
                  --udp-warmup-lines=W lines sent over TCP (and stored) before the UDP window, so the JIT
                                       has compiled the ingest path (200000; 0 = measure a cold service)
                  --runs=R             repetitions of the COPY/TCP/UDP sequence (3)
                  --jar=PATH           service jar (target/active-defense.jar)
                  --keep-raw=BOOL      passes -Dingest.keep-raw-line (service default) and matches the COPY baseline
                  --service-props=k=v[,k=v]  more -D properties for the service (repeatable)
                  --extra-jvm-opts="..."     more JVM options for the service
                  --service-heap=SIZE  service -Xmx (512m)
                  --out-dir=DIR        service logs, thread dumps, data (/tmp/ingest-bench-<time>)
                  --keep-data=BOOL     keep the embedded PostgreSQL data directories (false: deleted per phase)
                  --with-detection     keep the service's detection schedule (default: moved to 2099, so that a
                                       detection run over the fresh rows does not land in some phases and not others)
                  --phases=LIST        which phases to run, of copy,tcp,udp (all three)
                  --quick              smoke test: 300k lines, 1 run, 5 s UDP
                  --sample=N           print the first N generated lines and their COPY rows, then exit
                """;
    }

    // ------------------------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        Options opts;
        try {
            opts = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (opts.sample > 0) {
            SyslogCorpus sample = SyslogCorpus.generate(opts.sample, opts.seed, true);
            System.out.print(new String(sample.lineBlocks.get(0), StandardCharsets.US_ASCII));
            System.out.print(new String(sample.copyBlocks.get(0), StandardCharsets.US_ASCII));
            return;
        }
        if (!Files.isRegularFile(opts.jar)) {
            System.err.println("error: service jar not found: " + opts.jar);
            System.exit(2);
        }
        if (!Files.isDirectory(opts.repo.resolve("routes")) || !Files.isRegularFile(opts.repo.resolve("application.properties"))) {
            System.err.println("error: " + opts.repo + " is not the repository root (no routes/ or application.properties); use --repo=");
            System.exit(2);
        }
        Files.createDirectories(opts.outDir);
        Runtime.getRuntime().addShutdownHook(new Thread(ServiceProcess::stopAllLeftOver, "stop-services"));

        Report report = new Report();
        report.line("ActiveDefense ingest benchmark — " + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")));
        report.line("machine: nproc=" + Runtime.getRuntime().availableProcessors() + ", " + memTotal() + ", " + osName()
                + ", java " + System.getProperty("java.version") + ", net.core.rmem_max=" + readFirstLine(Path.of("/proc/sys/net/core/rmem_max")));
        report.line("jar: " + opts.jar + "  (built " + Files.getLastModifiedTime(opts.jar) + ")");
        report.line(String.format(Locale.ROOT, "options: lines=%,d connections=%d udp-rate=%,d/s udp-seconds=%d udp-senders=%d runs=%d keep-raw=%s service-heap=%s service-props=%s extra-jvm-opts=%s",
                opts.lines, opts.connections, opts.udpRate, opts.udpSeconds, opts.udpSenders, opts.runs,
                opts.keepRaw == null ? "(service default)" : opts.keepRaw, opts.serviceHeap, opts.serviceProps, opts.extraJvmOpts));
        report.line("phases: " + String.join(", ", opts.phases) + "; logs and dumps: " + opts.outDir);

        long g0 = System.nanoTime();
        boolean keepRawInCopy = opts.keepRaw == null || opts.keepRaw; // the service keeps raw lines by default
        SyslogCorpus corpus = SyslogCorpus.generate(opts.lines, opts.seed, keepRawInCopy);
        report.line(String.format(Locale.ROOT, "corpus: %,d lines, %,.0f MiB, mean %.0f B/line (min %d, max %d); TRAFFIC csv %.1f%%, THREAT csv %.1f%%, key=value %.1f%%; generated in %.1f s",
                corpus.lines(), corpus.bytes() / 1048576.0, corpus.bytes() / (double) corpus.lines(), corpus.minLength, corpus.maxLength,
                100.0 * corpus.traffic / corpus.lines(), 100.0 * corpus.threat / corpus.lines(), 100.0 * corpus.kv / corpus.lines(),
                (System.nanoTime() - g0) / 1e9));
        report.blank();

        List<Map<String, Double>> results = new ArrayList<>();
        boolean failed = false;
        for (int run = 1; run <= opts.runs; run++) {
            Map<String, Double> figures = new LinkedHashMap<>();
            report.line("=== run " + run + " of " + opts.runs + " ===");
            PhaseRunner runner = new PhaseRunner(opts, corpus, report, run);
            if (opts.phases.contains("copy")) {
                failed |= !runner.attempt("copy", () -> runner.copyBaseline(figures));
            }
            if (opts.phases.contains("tcp")) {
                failed |= !runner.attempt("tcp", () -> runner.tcp(figures));
            }
            if (figures.containsKey("tcp.stored_per_s") && figures.containsKey("copy.rows_per_s")) {
                figures.put("tcp.ratio", figures.get("tcp.stored_per_s") / figures.get("copy.rows_per_s"));
                report.line(String.format(Locale.ROOT, "  TCP stored rate / COPY ceiling = %.2f", figures.get("tcp.ratio")));
            }
            if (opts.phases.contains("udp")) {
                failed |= !runner.attempt("udp", () -> runner.udp(figures));
            }
            if (figures.getOrDefault("tcp.lost", 0.0) > 0 || figures.getOrDefault("tcp.rejected", 0.0) > 0) {
                failed = true;
            }
            results.add(figures);
            report.blank();
        }
        Summary.print(report, results, opts, corpus);
        Files.writeString(opts.outDir.resolve("report.txt"), report.text());
        System.out.println();
        System.out.println("(report saved to " + opts.outDir.resolve("report.txt") + ")");
        System.exit(failed ? 1 : 0);
    }

    // ------------------------------------------------------------------------------------------------

    /** The three measured phases of one run, each against a freshly started service. */
    static final class PhaseRunner {
        private final Options opts;
        private final SyslogCorpus corpus;
        private final Report report;
        private final int run;

        PhaseRunner(Options opts, SyslogCorpus corpus, Report report, int run) {
            this.opts = opts;
            this.corpus = corpus;
            this.report = report;
            this.run = run;
        }

        interface Phase {
            void run() throws Exception;
        }

        boolean attempt(String name, Phase phase) {
            try {
                phase.run();
                return true;
            } catch (Exception e) {
                report.line("  " + name + " phase FAILED: " + e);
                return false;
            } finally {
                pause(3000); // let the machine settle (page cache writeback, the stopped JVM's exit) between phases
            }
        }

        private ServiceProcess start(String phase) throws Exception {
            Path dir = opts.outDir.resolve("run" + run + "-" + phase);
            ServiceProcess svc = ServiceProcess.start(opts, dir);
            report.line("  [" + phase + "] service pid " + svc.pid() + ", postmaster pid " + svc.postmasterPid()
                    + ", ready in " + String.format(Locale.ROOT, "%.1f s", svc.startSeconds) + "; log " + svc.log);
            return svc;
        }

        /** COPY of the already-parsed rows into firewall_log of a fresh service, from one connection. */
        void copyBaseline(Map<String, Double> figures) throws Exception {
            ServiceProcess svc = start("copy");
            try (Connection c = svc.connect()) {
                List<String> columns = existingColumns(c, "firewall_log");
                List<String> missing = new ArrayList<>(SyslogCorpus.COPY_COLUMNS);
                missing.removeAll(columns);
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("firewall_log lacks columns " + missing + "; update SyslogCorpus.COPY_COLUMNS");
                }
                String sql = "COPY firewall_log (" + String.join(", ", SyslogCorpus.COPY_COLUMNS) + ") FROM STDIN";
                CpuMeters cpu = CpuMeters.start(svc);
                long t0 = System.nanoTime();
                CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
                try {
                    for (byte[] block : corpus.copyBlocks) {
                        copy.writeToCopy(block, 0, block.length);
                    }
                    long rows = copy.endCopy();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    CpuMeters.Delta d = cpu.stop();
                    if (rows != corpus.lines()) {
                        throw new IllegalStateException("COPY stored " + rows + " rows, expected " + corpus.lines());
                    }
                    figures.put("copy.rows_per_s", rows / seconds);
                    figures.put("copy.pg_cpu_s_per_m", d.postgresSeconds / rows * 1e6);
                    figures.put("copy.pg_cores", d.postgresSeconds / seconds);
                    report.line(String.format(Locale.ROOT, "  COPY ceiling: %,d rows in %.1f s = %,.0f rows/s; PostgreSQL CPU %.1f s (%.1f s per 1M rows, %.2f cores busy); client CPU %.1f s",
                            rows, seconds, rows / seconds, d.postgresSeconds, d.postgresSeconds / rows * 1e6, d.postgresSeconds / seconds, d.clientSeconds));
                    report.line("    PostgreSQL CPU by process: " + d.postgresByRole(seconds));
                    report.line("    " + d.hostSummary(seconds));
                    figures.put("copy.other_cores", d.otherCores(seconds));
                } finally {
                    if (copy.isActive()) {
                        copy.cancelCopy();
                    }
                }
            } finally {
                svc.stopAndScan(report);
                svc.cleanUp(opts.keepData);
            }
        }

        /** N lines over C TCP connections as fast as the service takes them; timed until all are in the database. */
        void tcp(Map<String, Double> figures) throws Exception {
            ServiceProcess svc = start("tcp");
            try {
                HeapSampler heap = HeapSampler.start(svc.pid());
                List<List<byte[]>> perConnection = new ArrayList<>();
                for (int i = 0; i < opts.connections; i++) {
                    perConnection.add(new ArrayList<>());
                }
                for (int b = 0; b < corpus.lineBlocks.size(); b++) {
                    perConnection.get(b % opts.connections).add(corpus.lineBlocks.get(b));
                }
                long sent = corpus.lines();
                Metrics before = svc.metrics();
                double base = before.stored() + before.rejectsStored();
                PgActivitySampler waits = PgActivitySampler.start(svc);
                CpuMeters cpu = CpuMeters.start(svc);
                long t0 = System.nanoTime();
                TcpSender sender = TcpSender.start(svc.tcpPort, perConnection);

                // Progress comes from the service's committed-rows counter, which advances after each
                // COPY commits: polling count(*) on a multi-GB table every 250 ms would itself keep
                // PostgreSQL busy and distort what we measure. count(*) confirms once at the end.
                long timeoutNanos = TimeUnit.SECONDS.toNanos(Math.max(600, sent / 2_000));
                long stallNanos = TimeUnit.SECONDS.toNanos(120);
                double lastDone = -1;
                long lastProgress = System.nanoTime();
                long doneAt = -1;
                boolean dumped = false;
                Metrics m = before;
                while (true) {
                    pause(250);
                    long now = System.nanoTime();
                    m = svc.metrics();
                    double done = m.stored() + m.rejectsStored() - base;
                    if (done > lastDone) {
                        lastDone = done;
                        lastProgress = now;
                    }
                    if (!dumped && done >= sent / 2.0) {
                        dumped = true;
                        svc.threadDumpInBackground(svc.dir.resolve("thread-dump-mid-tcp.txt"));
                    }
                    if (done >= sent) {
                        doneAt = now;
                        break;
                    }
                    if (sender.failure() != null) {
                        throw new IllegalStateException("TCP sender failed: " + sender.failure());
                    }
                    if (now - t0 > timeoutNanos || (sender.finished() && now - lastProgress > stallNanos)) {
                        break;
                    }
                }
                CpuMeters.Delta d = cpu.stop();
                waits.stop();
                long end = doneAt > 0 ? doneAt : System.nanoTime();
                double seconds = (end - t0) / 1e9;
                sender.awaitAndClose(TimeUnit.SECONDS.toMillis(30));
                HeapSampler.Peak hp = heap.stop();
                Map<String, String> names = svc.threadNames();
                long stored;
                long rejected;
                long detections;
                try (Connection c = svc.connect()) {
                    stored = count(c, "firewall_log");
                    rejected = count(c, "rejected_line");
                    detections = detectionRuns(c);
                }
                long lost = sent - stored - rejected;
                figures.put("tcp.stored_per_s", stored / seconds);
                figures.put("tcp.lost", (double) lost);
                figures.put("tcp.rejected", (double) rejected);
                putCpu(figures, "tcp", d, stored, seconds);
                figures.put("tcp.heap_peak_mib", hp.usedMiB());
                figures.put("tcp.old_peak_mib", hp.oldMiB());
                report.line(String.format(Locale.ROOT, "  TCP: sent %,d lines over %d connections (client done writing after %.1f s); stored %,d, rejected %,d, lost %,d%s",
                        sent, opts.connections, sender.writeSeconds(), stored, rejected, lost,
                        doneAt > 0 ? "" : " — TIMED OUT waiting for the rows"));
                report.line(detectionNote(detections));
                report.line(String.format(Locale.ROOT, "    stored rate %,.0f lines/s (%.1f s first send to last row); %s",
                        stored / seconds, seconds, d.summary(stored, seconds)));
                report.line(String.format(Locale.ROOT, "    service heap peak %.0f MiB used (old gen peak %.0f MiB, %d samples, committed max %.0f MiB); %s",
                        hp.usedMiB(), hp.oldMiB(), hp.samples, hp.committedMiB(), gcSummary(hp)));
                report.line(String.format(Locale.ROOT, "    metrics: received %,.0f, stored %,.0f, rejected %,.0f, batches %,.0f (mean %.1f ms)",
                        m.sum("activedefense_syslog_frames_received_total", "transport=\"tcp\""), m.stored() - before.stored(),
                        m.sum("activedefense_log_lines_rejected_total", "transport=\"tcp\""),
                        m.sum("activedefense_log_batch_write_seconds_count"),
                        1000 * m.sum("activedefense_log_batch_write_seconds_sum") / Math.max(1, m.sum("activedefense_log_batch_write_seconds_count"))));
                report.line("    service CPU by thread (x = threads):" + d.serviceByThread(names, seconds));
                report.line("    PostgreSQL CPU by process: " + d.postgresByRole(seconds));
                report.line("    PostgreSQL client backends sampled every 200 ms: " + waits.summary());
                report.line("    " + d.hostSummary(seconds));
                figures.put("tcp.other_cores", d.otherCores(seconds));
            } finally {
                svc.stopAndScan(report);
                svc.cleanUp(opts.keepData);
            }
        }

        /** Lines offered over UDP at a fixed rate for D seconds; what arrives, what is dropped, what is stored. */
        void udp(Map<String, Double> figures) throws Exception {
            ServiceProcess svc = start("udp");
            try {
                long[] warm = warmUp(svc);
                HeapSampler heap = HeapSampler.start(svc.pid());
                Map<String, Long> snmpBefore = udpSnmp();
                Metrics before = svc.metrics();
                CpuMeters cpu = CpuMeters.start(svc);
                long t0 = System.nanoTime();
                svc.threadDumpAfter(opts.udpSeconds * 500L, svc.dir.resolve("thread-dump-mid-udp.txt"));
                UdpSender sender = UdpSender.run(svc.udpPort, corpus, opts.udpRate, opts.udpSeconds, opts.udpSenders);
                double sendSeconds = (System.nanoTime() - t0) / 1e9;

                // Settle: wait until the service has stopped receiving and its queue is written.
                long settleDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                Metrics m = before;
                double lastSeen = -1;
                long stableSince = System.nanoTime();
                while (System.nanoTime() < settleDeadline) {
                    pause(250);
                    m = svc.metrics();
                    double seen = m.sum("activedefense_syslog_frames_received_total", "transport=\"udp\"") + m.stored() + m.rejectsStored();
                    if (seen != lastSeen) {
                        lastSeen = seen;
                        stableSince = System.nanoTime();
                    } else if (m.sum("activedefense_ingest_queue_depth") == 0 && System.nanoTime() - stableSince > 2_000_000_000L) {
                        break;
                    }
                }
                CpuMeters.Delta d = cpu.stop();
                double seconds = (System.nanoTime() - t0) / 1e9;
                Map<String, Long> snmpAfter = udpSnmp();
                HeapSampler.Peak hp = heap.stop();
                long stored;
                long rejected;
                long detections;
                try (Connection c = svc.connect()) {
                    stored = count(c, "firewall_log") - warm[0];
                    rejected = count(c, "rejected_line") - warm[1];
                    detections = detectionRuns(c);
                }
                long offered = sender.sent;
                double received = m.sum("activedefense_syslog_frames_received_total", "transport=\"udp\"")
                        - before.sum("activedefense_syslog_frames_received_total", "transport=\"udp\"");
                double dropped = m.sum("activedefense_syslog_frames_dropped_total", "cause=\"queue_full\"", "transport=\"udp\"")
                        - before.sum("activedefense_syslog_frames_dropped_total", "cause=\"queue_full\"", "transport=\"udp\"");
                long rcvbuf = snmpAfter.getOrDefault("RcvbufErrors", 0L) - snmpBefore.getOrDefault("RcvbufErrors", 0L);
                long inErrors = snmpAfter.getOrDefault("InErrors", 0L) - snmpBefore.getOrDefault("InErrors", 0L);
                double lossPct = 100.0 * (offered - stored) / offered;
                figures.put("udp.offered", (double) offered);
                figures.put("udp.offered_per_s", offered / sender.seconds);
                figures.put("udp.received", received);
                figures.put("udp.dropped_queue", dropped);
                figures.put("udp.stored", (double) stored);
                figures.put("udp.rejected", (double) rejected);
                figures.put("udp.loss_pct", lossPct);
                figures.put("udp.rcvbuf_errors", (double) rcvbuf);
                putCpu(figures, "udp", d, stored, seconds);
                figures.put("udp.heap_peak_mib", hp.usedMiB());
                report.line(String.format(Locale.ROOT, "  UDP: offered %,d lines in %.1f s (%,.0f/s, target %,d/s, %d sender(s), %,d send errors); received %,.0f; dropped (queue full) %,.0f; stored %,d; rejected %,d; loss %.2f%%",
                        offered, sender.seconds, offered / sender.seconds, opts.udpRate, opts.udpSenders, sender.errors, received, dropped, stored, rejected, lossPct));
                report.line(String.format(Locale.ROOT, "    kernel /proc/net/snmp during the phase: Udp RcvbufErrors +%,d, InErrors +%,d (whole host); not received = offered - received = %,.0f",
                        rcvbuf, inErrors, offered - received));
                report.line(detectionNote(detections));
                report.line(String.format(Locale.ROOT, "    %s (over %.1f s: %.1f s sending + settling)", d.summary(stored, seconds), seconds, sendSeconds));
                report.line(String.format(Locale.ROOT, "    service heap peak %.0f MiB used (old gen peak %.0f MiB, %d samples); %s",
                        hp.usedMiB(), hp.oldMiB(), hp.samples, gcSummary(hp)));
                report.line("    service CPU by thread (x = threads):" + d.serviceByThread(svc.threadNames(), seconds));
                report.line("    PostgreSQL CPU by process: " + d.postgresByRole(seconds));
                report.line("    " + d.hostSummary(seconds));
                figures.put("udp.other_cores", d.otherCores(seconds));
            } finally {
                svc.stopAndScan(report);
                svc.cleanUp(opts.keepData);
            }
        }

        /**
         * Sends the first lines over TCP and waits until they are stored, so the UDP window measures a
         * service whose ingest path the JIT has already compiled (a cold one drops most datagrams for
         * its first seconds); returns the firewall_log and rejected_line counts after the warm-up.
         */
        private long[] warmUp(ServiceProcess svc) throws Exception {
            if (opts.udpWarmupLines <= 0) {
                return new long[] {0, 0};
            }
            List<byte[]> blocks = new ArrayList<>();
            long lines = 0;
            for (int b = 0; b < corpus.lineBlocks.size() && lines < opts.udpWarmupLines; b++) {
                blocks.add(corpus.lineBlocks.get(b));
                lines += corpus.lineEnds.get(b).length;
            }
            long t0 = System.nanoTime();
            TcpSender sender = TcpSender.start(svc.tcpPort, List.of(blocks));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (true) {
                pause(250);
                Metrics m = svc.metrics();
                if (m.stored() + m.rejectsStored() >= lines) {
                    break;
                }
                if (System.nanoTime() > deadline || sender.failure() != null) {
                    throw new IllegalStateException("warm-up of " + lines + " lines not stored within 300 s"
                            + (sender.failure() == null ? "" : ": " + sender.failure()));
                }
            }
            sender.awaitAndClose(10_000);
            long[] counts;
            try (Connection c = svc.connect()) {
                counts = new long[] {count(c, "firewall_log"), count(c, "rejected_line")};
            }
            report.line(String.format(Locale.ROOT, "    warm-up: %,d lines over TCP stored in %.1f s", lines, (System.nanoTime() - t0) / 1e9));
            pause(2000);
            return counts;
        }

        private static void putCpu(Map<String, Double> figures, String phase, CpuMeters.Delta d, long stored, double seconds) {
            double perM = 1e6 / Math.max(1, stored);
            figures.put(phase + ".svc_cpu_s_per_m", d.serviceSeconds * perM);
            figures.put(phase + ".pg_cpu_s_per_m", d.postgresSeconds * perM);
            figures.put(phase + ".cpu_us_per_line", (d.serviceSeconds + d.postgresSeconds) * perM);
            figures.put(phase + ".cores_busy", (d.serviceSeconds + d.postgresSeconds) / seconds);
        }

        private static String gcSummary(HeapSampler.Peak hp) {
            return String.format(Locale.ROOT, "GC: %d young (%.2f s), %d full, %d concurrent cycles, %.2f s total pause",
                    hp.youngCount, hp.youngSeconds, hp.fullCount, hp.concurrentCount, hp.gcSeconds);
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** The service under test, started as a child JVM with its own fresh data directory and free ports. */
    static final class ServiceProcess {
        private static final Set<ServiceProcess> LIVE = ConcurrentHashMap.newKeySet();
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        final Path dir;
        final Path log;
        final int httpPort;
        final int tcpPort;
        final int udpPort;
        /** Metrics live on the management port, behind its login (docs/monitoring.md). */
        int managementPort;
        static final String MANAGEMENT_PASSWORD = "bench-management-password";
        double startSeconds;
        private Process process;
        private long postmasterPid = -1;
        private int dbPort = -1;
        private final List<Thread> helpers = new ArrayList<>();

        private ServiceProcess(Path dir, int httpPort, int tcpPort, int udpPort) {
            this.dir = dir;
            this.log = dir.resolve("service.log");
            this.httpPort = httpPort;
            this.tcpPort = tcpPort;
            this.udpPort = udpPort;
        }

        static ServiceProcess start(Options opts, Path dir) throws Exception {
            if (Files.exists(dir.resolve("postgres"))) {
                deleteTree(dir.resolve("postgres"));
            }
            Files.createDirectories(dir);
            ServiceProcess s = new ServiceProcess(dir, freeTcpPort(), freeTcpPort(), freeUdpPort());
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx" + opts.serviceHeap);
            cmd.addAll(opts.extraJvmOpts);
            cmd.add("-Ddb.embedded.data-dir=" + dir.resolve("postgres"));
            cmd.add("-Dingest.spool.dir=" + dir.resolve("spool"));
            cmd.add("-Ddb.embedded.port=0");
            cmd.add("-Dhttp.port=" + s.httpPort);
            s.managementPort = freeTcpPort();
            cmd.add("-Dmanagement.port=" + s.managementPort);
            cmd.add("-Dmanagement.password=" + ServiceProcess.MANAGEMENT_PASSWORD);
            cmd.add("-Dmanagement.users-file=" + dir.resolve("management-users.properties"));
            cmd.add("-Dsyslog.udp.port=" + s.udpPort);
            cmd.add("-Dsyslog.tcp.port=" + s.tcpPort);
            cmd.add("-Dsyslog.bind-address=127.0.0.1");
            if (opts.keepRaw != null) {
                cmd.add("-Dingest.keep-raw-line=" + opts.keepRaw);
            }
            for (String p : opts.serviceProps) {
                cmd.add("-D" + p);
            }
            cmd.add("-jar");
            cmd.add(opts.jar.toString());
            Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
            long t0 = System.nanoTime();
            s.process = new ProcessBuilder(cmd)
                    .directory(opts.repo.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(s.log.toFile()))
                    .start();
            LIVE.add(s);
            try {
                s.awaitReady(TimeUnit.SECONDS.toNanos(180));
            } catch (Exception e) {
                s.stop();
                throw new IllegalStateException(e.getMessage() + "; last log lines:\n" + tail(s.log, 15), e);
            }
            s.startSeconds = (System.nanoTime() - t0) / 1e9;
            return s;
        }

        private void awaitReady(long timeoutNanos) throws Exception {
            long deadline = System.nanoTime() + timeoutNanos;
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("service exited with " + process.exitValue() + " before it was ready");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("service not ready within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
                }
                if (healthOk() && tcpAccepts() && findPostmaster()) {
                    return;
                }
                pause(250);
            }
        }

        private boolean healthOk() {
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/observe/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private boolean tcpAccepts() {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 2000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** Reads the embedded server's postmaster.pid (line 1 PID, line 4 port), wherever zonky put the data. */
        private boolean findPostmaster() throws IOException {
            if (postmasterPid > 0) {
                return true;
            }
            Path base = dir.resolve("postgres");
            if (!Files.isDirectory(base)) {
                return false;
            }
            Path pidFile;
            try (var files = Files.find(base, 3, (p, a) -> p.getFileName().toString().equals("postmaster.pid"))) {
                pidFile = files.findFirst().orElse(null);
            }
            if (pidFile == null) {
                return false;
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return false;
            }
            postmasterPid = Long.parseLong(lines.get(0).trim());
            dbPort = Integer.parseInt(lines.get(3).trim());
            return true;
        }

        long pid() {
            return process.pid();
        }

        long postmasterPid() {
            return postmasterPid;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://localhost:" + dbPort + "/postgres", "postgres", "");
        }

        Metrics metrics() throws IOException, InterruptedException {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            ("monitor:" + MANAGEMENT_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET /observe/metrics answered " + r.statusCode());
            }
            return Metrics.parse(r.body());
        }

        /** Takes one `jcmd Thread.print` off the measuring thread; its thread names label the CPU split. */
        void threadDumpInBackground(Path file) {
            threadDumpAfter(0, file);
        }

        void threadDumpAfter(long delayMillis, Path file) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(delayMillis);
                    Process p = new ProcessBuilder(jdkTool("jcmd"), String.valueOf(pid()), "Thread.print")
                            .redirectErrorStream(true).redirectOutput(file.toFile()).start();
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (IOException e) {
                    // a missing dump only loses the thread names
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "thread-dump");
            t.setDaemon(true);
            t.start();
            helpers.add(t);
        }

        /** Native thread id (decimal) to Java thread name, from the dump taken during the phase, if any. */
        Map<String, String> threadNames() {
            for (Thread t : helpers) {
                try {
                    t.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Map<String, String> names = new HashMap<>();
            Pattern p = Pattern.compile("^\"(.*)\".*\\bnid=(0x[0-9a-f]+|\\d+)");
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(x -> x.getFileName().toString().startsWith("thread-dump")).toList()) {
                    for (String line : Files.readAllLines(f)) {
                        Matcher m = p.matcher(line);
                        if (m.find()) {
                            String nid = m.group(2);
                            long tid = nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid);
                            names.put(String.valueOf(tid), m.group(1));
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // no names: thread comm names are used instead
            }
            return names;
        }

        /** SIGTERM (the service flushes what is queued), bounded; then makes sure PostgreSQL is gone too. */
        void stop() {
            if (process != null && process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(90, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        process.waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            // A service that died hard leaves its embedded postmaster running (it is not our child).
            if (postmasterPid > 0) {
                ProcessHandle.of(postmasterPid).ifPresent(pm -> {
                    if (commandOf(pm.pid()).contains("postgres")) {
                        pm.destroy(); // SIGTERM: smart shutdown, immediate with no clients left
                        try {
                            pm.onExit().get(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            pm.destroyForcibly();
                        }
                    }
                });
            }
            LIVE.remove(this);
        }

        void stopAndScan(Report report) {
            long t0 = System.nanoTime();
            stop();
            int exit = process.isAlive() ? -1 : process.exitValue();
            report.line(String.format(Locale.ROOT, "    service stopped in %.1f s (exit %d); %s",
                    (System.nanoTime() - t0) / 1e9, exit, LogScan.of(log)));
        }

        void cleanUp(boolean keepData) {
            if (!keepData) {
                try {
                    deleteTree(dir.resolve("postgres"));
                } catch (IOException e) {
                    System.err.println("could not delete " + dir.resolve("postgres") + ": " + e.getMessage());
                }
            }
        }

        static void stopAllLeftOver() {
            // Stop our own traffic first: a service still being fed keeps its graceful shutdown busy.
            TcpSender.closeAll();
            UdpSender.stopping = true;
            for (ServiceProcess s : List.copyOf(LIVE)) {
                System.err.println("stopping service pid " + s.pid() + " left running");
                s.stop();
            }
        }

        private static int freeTcpPort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }

        private static int freeUdpPort() throws IOException {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** A scrape of /observe/metrics (Prometheus text), summed by metric name and label filters. */
    static final class Metrics {
        private final List<String[]> samples = new ArrayList<>(); // {name, labels, value}

        static Metrics parse(String body) {
            Metrics m = new Metrics();
            for (String line : body.split("\n")) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                int sp = line.lastIndexOf(' ');
                if (sp < 0) {
                    continue;
                }
                String key = line.substring(0, sp);
                int brace = key.indexOf('{');
                String name = brace < 0 ? key : key.substring(0, brace);
                String labels = brace < 0 ? "" : key.substring(brace);
                m.samples.add(new String[] {name, labels, line.substring(sp + 1)});
            }
            return m;
        }

        double sum(String name, String... labelParts) {
            double total = 0;
            next:
            for (String[] s : samples) {
                if (!s[0].equals(name)) {
                    continue;
                }
                for (String part : labelParts) {
                    if (!s[1].contains(part)) {
                        continue next;
                    }
                }
                try {
                    total += Double.parseDouble(s[2]);
                } catch (NumberFormatException e) {
                    // NaN/Inf spelled differently: ignore
                }
            }
            return total;
        }

        double stored() {
            return sum("activedefense_log_lines_stored_total");
        }

        double rejectsStored() {
            return sum("activedefense_rejected_lines_stored_total");
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** CPU time of the service JVM, of every PostgreSQL process under the postmaster, and of this client. */
    static final class CpuMeters {
        private static final double TICK = 1.0 / clockTicks();
        private final ServiceProcess svc;
        private final Map<Long, ThreadSample> serviceThreads;
        private final long serviceTotal;
        private final PgTree pgStart;
        private final long clientTotal;
        private final long[] hostStart;

        private CpuMeters(ServiceProcess svc) {
            this.svc = svc;
            this.hostStart = hostTicks();
            this.serviceThreads = threadSamples(svc.pid());
            this.serviceTotal = processTicks(svc.pid());
            this.pgStart = PgTree.read(svc.postmasterPid());
            this.clientTotal = processTicks(ProcessHandle.current().pid());
        }

        static CpuMeters start(ServiceProcess svc) {
            return new CpuMeters(svc);
        }

        Delta stop() {
            Map<Long, ThreadSample> threadsEnd = threadSamples(svc.pid());
            long serviceEnd = processTicks(svc.pid());
            PgTree pgEnd = PgTree.read(svc.postmasterPid());
            long clientEnd = processTicks(ProcessHandle.current().pid());
            long[] hostEnd = hostTicks();
            Delta d = new Delta(this, threadsEnd, serviceEnd, pgEnd, clientEnd);
            d.postgresRunDelaySeconds = pgEnd.runDelayNanosSince(pgStart) / 1e9;
            d.hostBusySeconds = (hostEnd[0] - hostStart[0]) * TICK;
            d.hostStealSeconds = (hostEnd[1] - hostStart[1]) * TICK;
            return d;
        }

        /** {busy, steal} clock ticks of the whole host, from the first line of /proc/stat. */
        static long[] hostTicks() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                // cpu user nice system idle iowait irq softirq steal guest guest_nice
                long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
                return new long[] {busy, Long.parseLong(f[8])};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0};
            }
        }

        /** Time spent runnable but waiting for a CPU (schedstat field 2), in ns. */
        static long runDelayNanos(Path schedstat) {
            try {
                return Long.parseLong(Files.readString(schedstat).trim().split(" ")[1]);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** CPU used between start and stop, with the service split by thread and PostgreSQL by process role. */
        static final class Delta {
            final double serviceSeconds;
            final double postgresSeconds;
            final double clientSeconds;
            double serviceRunDelaySeconds;
            double postgresRunDelaySeconds;
            double hostBusySeconds;
            double hostStealSeconds;
            private final Map<Long, ThreadSample> threadDelta = new HashMap<>();
            private final long serviceTicks;
            private final Map<String, Long> pgByRole;

            Delta(CpuMeters s, Map<Long, ThreadSample> threadsEnd, long serviceEnd, PgTree pgEnd, long clientEnd) {
                serviceTicks = serviceEnd - s.serviceTotal;
                serviceSeconds = serviceTicks * TICK;
                postgresSeconds = (pgEnd.total - s.pgStart.total) * TICK;
                clientSeconds = (clientEnd - s.clientTotal) * TICK;
                for (Map.Entry<Long, ThreadSample> e : threadsEnd.entrySet()) {
                    ThreadSample end = e.getValue();
                    ThreadSample start = s.serviceThreads.getOrDefault(e.getKey(), new ThreadSample(end.comm(), 0, 0));
                    ThreadSample d = new ThreadSample(end.comm(), end.ticks() - start.ticks(), end.runDelayNanos() - start.runDelayNanos());
                    threadDelta.put(e.getKey(), d);
                    serviceRunDelaySeconds += d.runDelayNanos() / 1e9;
                }
                pgByRole = pgEnd.byRoleSince(s.pgStart);
            }

            String summary(long lines, double seconds) {
                double perM = 1e6 / Math.max(1, lines);
                return String.format(Locale.ROOT, "CPU: service %.1f s (%.1f s/1M lines), PostgreSQL %.1f s (%.1f s/1M lines), %.1f µs per line, %.2f of %d cores busy; client %.1f s",
                        serviceSeconds, serviceSeconds * perM, postgresSeconds, postgresSeconds * perM,
                        (serviceSeconds + postgresSeconds) * perM, (serviceSeconds + postgresSeconds) / seconds,
                        Runtime.getRuntime().availableProcessors(), clientSeconds);
            }

            /** How contended the cores were: other processes' CPU, VM steal, and our processes' wait for a CPU. */
            String hostSummary(double seconds) {
                double others = hostBusySeconds - serviceSeconds - postgresSeconds - clientSeconds;
                return String.format(Locale.ROOT, "host: %.2f of %d cores busy, of which other processes %.2f cores; steal %.1f s; waited for a CPU: service threads %.1f s, PostgreSQL %.1f s",
                        hostBusySeconds / seconds, Runtime.getRuntime().availableProcessors(), Math.max(0, others) / seconds,
                        hostStealSeconds, serviceRunDelaySeconds, postgresRunDelaySeconds);
            }

            double otherCores(double seconds) {
                return Math.max(0, hostBusySeconds - serviceSeconds - postgresSeconds - clientSeconds) / seconds;
            }

            /**
             * Thread CPU grouped by name with numbers folded (writer-0, writer-1 → writer-#), biggest first,
             * with each group's time runnable but waiting for a core ("queued").
             */
            String serviceByThread(Map<String, String> names, double wallSeconds) {
                Map<String, Long> groups = new HashMap<>();
                Map<String, Long> queued = new HashMap<>();
                Map<String, Integer> threads = new HashMap<>();
                long sum = 0;
                for (Map.Entry<Long, ThreadSample> e : threadDelta.entrySet()) {
                    String name = names.getOrDefault(String.valueOf(e.getKey()), e.getValue().comm());
                    String group = name.replaceAll("\\d+", "#");
                    groups.merge(group, e.getValue().ticks(), Long::sum);
                    queued.merge(group, e.getValue().runDelayNanos(), Long::sum);
                    threads.merge(group, 1, Integer::sum);
                    sum += e.getValue().ticks();
                }
                long exited = serviceTicks - sum;
                if (exited > 0) {
                    groups.merge("(threads that exited)", exited, Long::sum);
                }
                List<Map.Entry<String, Long>> list = new ArrayList<>(groups.entrySet());
                list.sort(Map.Entry.<String, Long>comparingByValue().reversed());
                StringBuilder out = new StringBuilder();
                long rest = 0;
                for (int i = 0; i < list.size(); i++) {
                    String g = list.get(i).getKey();
                    long v = list.get(i).getValue();
                    if (i >= 7) {
                        rest += v;
                        continue;
                    }
                    out.append(String.format(Locale.ROOT, "%n      %-58s x%-3d CPU %6.1f s = %.2f core, queued for a core %6.1f s",
                            g.length() > 58 ? g.substring(0, 57) + "…" : g, threads.getOrDefault(g, 0), v * TICK, v * TICK / wallSeconds,
                            queued.getOrDefault(g, 0L) / 1e9));
                }
                if (rest > 0) {
                    out.append(String.format(Locale.ROOT, "%n      %-58s      CPU %6.1f s", "other", rest * TICK));
                }
                return out.toString();
            }

            String postgresByRole(double wallSeconds) {
                return top(pgByRole, wallSeconds, 6);
            }

            /** The biggest groups, each as CPU seconds and as the share of one core over the wall time. */
            private static String top(Map<String, Long> groups, double wallSeconds, int n) {
                List<Map.Entry<String, Long>> list = new ArrayList<>(groups.entrySet());
                list.sort(Map.Entry.<String, Long>comparingByValue().reversed());
                StringBuilder out = new StringBuilder();
                long rest = 0;
                for (int i = 0; i < list.size(); i++) {
                    long v = list.get(i).getValue();
                    if (v <= 0) {
                        continue;
                    }
                    if (i < n) {
                        if (out.length() > 0) {
                            out.append(", ");
                        }
                        out.append(String.format(Locale.ROOT, "%s %.1f s (%.2f core)", list.get(i).getKey(), v * TICK, v * TICK / wallSeconds));
                    } else {
                        rest += v;
                    }
                }
                if (rest > 0) {
                    out.append(String.format(Locale.ROOT, ", other %.1f s", rest * TICK));
                }
                return out.length() == 0 ? "(none)" : out.toString();
            }
        }

        /** CPU of PostgreSQL's process tree: postmaster, reaped children (cutime/cstime) and live children. */
        static final class PgTree {
            long total;
            final Map<Long, Long> liveTicks = new HashMap<>();
            final Map<Long, String> liveRole = new HashMap<>();
            final Map<Long, Long> liveDelay = new HashMap<>();
            long postmasterOwn;
            long reaped;

            static PgTree read(long postmaster) {
                PgTree t = new PgTree();
                long[] pm = stat(postmaster);
                if (pm == null) {
                    return t;
                }
                t.postmasterOwn = pm[1] + pm[2];
                t.reaped = pm[3] + pm[4];
                t.total = t.postmasterOwn + t.reaped;
                // Every postgres process is a direct child of the postmaster (no deeper chains).
                try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
                    for (Path p : procs) {
                        long pid = Long.parseLong(p.getFileName().toString());
                        long[] s = stat(pid);
                        if (s != null && s[0] == postmaster) {
                            long ticks = s[1] + s[2] + s[3] + s[4];
                            t.liveTicks.put(pid, ticks);
                            t.liveRole.put(pid, pgRole(commandOf(pid)));
                            t.liveDelay.put(pid, runDelayNanos(p.resolve("schedstat")));
                            t.total += ticks;
                        }
                    }
                } catch (IOException e) {
                    // /proc unreadable: totals cover the postmaster only
                }
                return t;
            }

            long runDelayNanosSince(PgTree start) {
                long sum = 0;
                for (Map.Entry<Long, Long> e : liveDelay.entrySet()) {
                    sum += e.getValue() - start.liveDelay.getOrDefault(e.getKey(), 0L);
                }
                return sum;
            }

            Map<String, Long> byRoleSince(PgTree start) {
                Map<String, Long> roles = new TreeMap<>();
                long liveSum = 0;
                for (Map.Entry<Long, Long> e : liveTicks.entrySet()) {
                    long d = e.getValue() - start.liveTicks.getOrDefault(e.getKey(), 0L);
                    roles.merge(liveRole.get(e.getKey()), d, Long::sum);
                    liveSum += d;
                }
                roles.merge("postmaster", postmasterOwn - start.postmasterOwn, Long::sum);
                long exited = (total - start.total) - liveSum - (postmasterOwn - start.postmasterOwn);
                if (exited != 0) {
                    roles.merge("(exited: autovacuum workers, old backends)", exited, Long::sum);
                }
                return roles;
            }

            private static String pgRole(String cmd) {
                String s = cmd.replace('\0', ' ').trim();
                if (s.startsWith("postgres: ")) {
                    s = s.substring("postgres: ".length());
                }
                // client backends show "user db host(port) state"
                if (s.matches("^\\S+ \\S+ \\S*\\(\\d+\\).*") || s.matches("^\\S+ \\S+ \\[local\\].*")) {
                    return "client backends";
                }
                return s.replaceAll("\\s+\\S*\\d.*$", "").trim();
            }
        }

        /** {ppid, utime, stime, cutime, cstime} in clock ticks, or null when the process is gone. */
        static long[] stat(long pid) {
            try {
                String s = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                // after "pid (comm) ": f[0]=state f[1]=ppid ... f[11]=utime f[12]=stime f[13]=cutime f[14]=cstime
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        static long processTicks(long pid) {
            long[] s = stat(pid);
            return s == null ? 0 : s[1] + s[2];
        }

        /** One thread's kernel name (first 15 characters), CPU ticks and run-queue wait. */
        record ThreadSample(String comm, long ticks, long runDelayNanos) {
        }

        /** Native thread id to sample, for each live thread of the process. */
        static Map<Long, ThreadSample> threadSamples(long pid) {
            Map<Long, ThreadSample> out = new HashMap<>();
            try (var tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
                for (Path t : tasks) {
                    try {
                        String s = Files.readString(t.resolve("stat"));
                        String comm = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                        out.put(Long.parseLong(t.getFileName().toString()), new ThreadSample(comm,
                                Long.parseLong(f[11]) + Long.parseLong(f[12]), runDelayNanos(t.resolve("schedstat"))));
                    } catch (IOException | RuntimeException e) {
                        // thread exited while we looked
                    }
                }
            } catch (IOException e) {
                // process gone
            }
            return out;
        }

        private static long clockTicks() {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                p.waitFor(5, TimeUnit.SECONDS);
                return Long.parseLong(out);
            } catch (Exception e) {
                return 100;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** Samples what the service's PostgreSQL sessions are doing (pg_stat_activity) every 200 ms. */
    static final class PgActivitySampler {
        private final Map<String, Long> counts = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long samples;

        private PgActivitySampler(ServiceProcess svc) {
            thread = new Thread(() -> {
                try (Connection c = svc.connect(); var ps = c.prepareStatement(
                        "SELECT state, wait_event_type, wait_event, coalesce(upper(substring("
                                + "regexp_replace(query, '^(\\s|--[^\\n]*(\\n|$)|/[*].*?[*]/)*', '') from '^[A-Za-z]+')), 'other') "
                                + "FROM pg_stat_activity "
                                + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                    while (running) {
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                String state = rs.getString(1);
                                String type = rs.getString(2);
                                // the statement's first word tells the writers (COPY, INSERT) from detection and housekeeping
                                String kind = rs.getString(4);
                                String key = "active".equals(state)
                                        ? (type == null ? "active on CPU" : "active waiting " + type + "/" + rs.getString(3)) + " [" + kind + "]"
                                        : state == null ? "unknown" : state.equals("idle") ? "idle (pool)" : state;
                                counts.merge(key, 1L, Long::sum);
                            }
                        }
                        samples++;
                        Thread.sleep(200);
                    }
                } catch (SQLException e) {
                    counts.merge("sampler failed: " + e.getMessage(), 0L, Long::sum);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pg-activity-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        static PgActivitySampler start(ServiceProcess svc) {
            return new PgActivitySampler(svc);
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5000);
        }

        /** Mean sessions per sample in each state, biggest first. */
        String summary() {
            if (samples == 0) {
                return "(no samples)";
            }
            List<Map.Entry<String, Long>> list = new ArrayList<>(counts.entrySet());
            list.sort(Map.Entry.<String, Long>comparingByValue().reversed());
            StringBuilder out = new StringBuilder();
            for (Map.Entry<String, Long> e : list) {
                if (e.getValue() / (double) samples < 0.005 && !e.getKey().startsWith("sampler")) {
                    continue; // rarer than one session in 200 samples
                }
                if (out.length() > 0) {
                    out.append(", ");
                }
                out.append(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / (double) samples));
            }
            return out + String.format(Locale.ROOT, " (mean sessions per sample, %d samples)", samples);
        }
    }

    /** Samples the service's heap with one long-running `jstat -gc PID 500` (a new jstat per sample would cost a JVM start each). */
    static final class HeapSampler {
        private final Process jstat;
        private final Thread reader;
        private final AtomicReference<Peak> peak = new AtomicReference<>(new Peak());

        /** Highest sampled figures, in KiB as jstat reports them. */
        static final class Peak {
            double usedKb;
            double oldKb;
            double committedKb;
            int samples;
            long youngCount;
            long fullCount;
            long concurrentCount;
            double youngSeconds;
            double gcSeconds;

            double usedMiB() {
                return usedKb / 1024;
            }

            double oldMiB() {
                return oldKb / 1024;
            }

            double committedMiB() {
                return committedKb / 1024;
            }
        }

        private HeapSampler(long pid) throws IOException {
            jstat = new ProcessBuilder(jdkTool("jstat"), "-gc", String.valueOf(pid), "500").redirectErrorStream(true).start();
            reader = new Thread(this::read, "jstat-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static HeapSampler start(long pid) throws IOException {
            return new HeapSampler(pid);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.US_ASCII))) {
                Map<String, Integer> col = null;
                String line;
                while ((line = in.readLine()) != null) {
                    String[] f = line.trim().split("\\s+");
                    if (line.contains("S0U")) {
                        col = new HashMap<>();
                        for (int i = 0; i < f.length; i++) {
                            col.put(f[i], i);
                        }
                        continue;
                    }
                    if (col == null || f.length < col.size()) {
                        continue;
                    }
                    try {
                        double used = num(f, col, "S0U") + num(f, col, "S1U") + num(f, col, "EU") + num(f, col, "OU");
                        double committed = num(f, col, "S0C") + num(f, col, "S1C") + num(f, col, "EC") + num(f, col, "OC");
                        Peak p = peak.get();
                        p.usedKb = Math.max(p.usedKb, used);
                        p.oldKb = Math.max(p.oldKb, num(f, col, "OU"));
                        p.committedKb = Math.max(p.committedKb, committed);
                        p.samples++;
                        p.youngCount = (long) num(f, col, "YGC");
                        p.fullCount = (long) num(f, col, "FGC");
                        p.concurrentCount = col.containsKey("CGC") ? (long) num(f, col, "CGC") : 0;
                        p.youngSeconds = num(f, col, "YGCT");
                        p.gcSeconds = num(f, col, "GCT");
                    } catch (NumberFormatException e) {
                        // a "-" column or a half line: skip the sample
                    }
                }
            } catch (IOException e) {
                // jstat ended
            }
        }

        private static double num(String[] f, Map<String, Integer> col, String name) {
            Integer i = col.get(name);
            if (i == null || f[i].equals("-")) {
                return 0;
            }
            return Double.parseDouble(f[i]);
        }

        Peak stop() throws InterruptedException {
            pause(600); // one more sample at the end of the phase
            jstat.destroy();
            jstat.waitFor(5, TimeUnit.SECONDS);
            reader.join(5000);
            return peak.get();
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** Writes pre-built blocks of LF-terminated lines over parallel TCP connections, as fast as they are taken. */
    static final class TcpSender {
        private static final Set<Socket> OPEN = ConcurrentHashMap.newKeySet();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Socket> sockets = new ArrayList<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicLong running = new AtomicLong();
        private final long t0 = System.nanoTime();
        private volatile long lastDone;

        static TcpSender start(int port, List<List<byte[]>> perConnection) throws IOException {
            TcpSender s = new TcpSender();
            for (List<byte[]> blocks : perConnection) {
                Socket socket = new Socket();
                socket.setSendBufferSize(4 << 20);
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                s.sockets.add(socket);
                OPEN.add(socket);
                s.running.incrementAndGet();
                Thread t = new Thread(() -> {
                    try {
                        OutputStream out = socket.getOutputStream();
                        for (byte[] block : blocks) {
                            out.write(block); // blocks are ~4 MiB: the "large buffered write"
                        }
                        out.flush();
                        socket.shutdownOutput();
                    } catch (Throwable e) {
                        s.failure.compareAndSet(null, e);
                    } finally {
                        s.lastDone = System.nanoTime();
                        s.running.decrementAndGet();
                    }
                }, "tcp-sender");
                t.setDaemon(true);
                s.threads.add(t);
            }
            s.threads.forEach(Thread::start);
            return s;
        }

        boolean finished() {
            return running.get() == 0;
        }

        Throwable failure() {
            return failure.get();
        }

        double writeSeconds() {
            return finished() ? (lastDone - t0) / 1e9 : Double.NaN;
        }

        void awaitAndClose(long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            for (Thread t : threads) {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            }
            for (Socket s : sockets) {
                close(s);
            }
        }

        static void closeAll() {
            OPEN.forEach(TcpSender::close);
        }

        private static void close(Socket s) {
            OPEN.remove(s);
            try {
                s.close();
            } catch (IOException e) {
                // closing a socket the peer already dropped
            }
        }
    }

    /** Offers datagrams at a fixed rate, in small bursts paced by System.nanoTime, one line per datagram. */
    static final class UdpSender {
        static volatile boolean stopping;
        long sent;
        long errors;
        double seconds;

        static UdpSender run(int port, SyslogCorpus corpus, int rate, int durationSeconds, int threads) throws Exception {
            UdpSender result = new UdpSender();
            long total = (long) rate * durationSeconds;
            AtomicLong sent = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            List<Thread> list = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int k = 0; k < threads; k++) {
                final int me = k;
                Thread t = new Thread(() -> {
                    long mine = total / threads + (me < total % threads ? 1 : 0);
                    double perNano = (double) rate / threads / 1e9;
                    long n = 0;
                    long line = me; // thread k sends lines k, k+threads, ... cycling through the corpus
                    try (DatagramChannel ch = DatagramChannel.open()) {
                        ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
                        ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                        while (n < mine && !stopping) {
                            long due = Math.min(mine, (long) ((System.nanoTime() - t0) * perNano));
                            if (due <= n) {
                                // sleep rather than spin: the 2 cores are what we are measuring
                                LockSupport.parkNanos(200_000);
                                continue;
                            }
                            long burst = Math.min(due - n, 512);
                            for (long i = 0; i < burst; i++) {
                                try {
                                    ch.write(corpus.datagram(line % corpus.lines()));
                                } catch (IOException e) {
                                    errors.incrementAndGet(); // e.g. ICMP port unreachable reported on a connected socket
                                }
                                line += threads;
                            }
                            n += burst;
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                    sent.addAndGet(n);
                }, "udp-sender-" + k);
                list.add(t);
            }
            list.forEach(Thread::start);
            for (Thread t : list) {
                t.join(TimeUnit.SECONDS.toMillis(durationSeconds + 120L));
            }
            result.seconds = (System.nanoTime() - t0) / 1e9;
            result.sent = sent.get();
            result.errors = errors.get();
            return result;
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** The generated lines, built once: LF-terminated syslog blocks (TCP; cut at LFs for UDP) and the same rows as COPY text. */
    static final class SyslogCorpus {
        /** firewall_log columns the baseline fills, in the order of the COPY rows. */
        static final List<String> COPY_COLUMNS = List.of("received_at", "device", "sender", "format", "log_type", "subtype",
                "src_ip", "dst_ip", "src_port", "dst_port", "src_location", "dst_location", "src_user", "src_zone", "dst_zone",
                "rule_name", "rule_uuid", "action", "protocol", "application", "threat_name", "threat_id", "severity",
                "generated_at", "raw");
        private static final int BLOCK = 4 << 20;

        final List<byte[]> lineBlocks = new ArrayList<>();
        final List<int[]> lineEnds = new ArrayList<>(); // per block: end offset (after the LF) of each line
        final List<byte[]> copyBlocks = new ArrayList<>();
        private long[] firstLineOfBlock;
        private long lines;
        private long bytes;
        int minLength = Integer.MAX_VALUE;
        int maxLength;
        long traffic;
        long threat;
        long kv;

        long lines() {
            return lines;
        }

        long bytes() {
            return bytes;
        }

        static SyslogCorpus generate(long count, long seed, boolean rawInCopy) {
            SyslogCorpus c = new SyslogCorpus();
            PanosLineGenerator gen = new PanosLineGenerator(seed, count);
            ByteBlockWriter lineOut = new ByteBlockWriter(BLOCK);
            ByteBlockWriter copyOut = new ByteBlockWriter(BLOCK);
            List<Long> firsts = new ArrayList<>();
            List<Integer> ends = new ArrayList<>();
            StringBuilder line = new StringBuilder(1600);
            StringBuilder row = new StringBuilder(2000);
            for (long i = 0; i < count; i++) {
                line.setLength(0);
                row.setLength(0);
                char kind = gen.next(i, line, row, rawInCopy);
                switch (kind) {
                    case 'T' -> c.traffic++;
                    case 'H' -> c.threat++;
                    default -> c.kv++;
                }
                line.append('\n');
                if (lineOut.wouldOverflow(line.length())) {
                    c.sealLineBlock(lineOut, ends);
                }
                if (lineOut.size() == 0) {
                    firsts.add(i);
                }
                lineOut.append(line);
                ends.add(lineOut.size());
                c.bytes += line.length();
                c.minLength = Math.min(c.minLength, line.length() - 1);
                c.maxLength = Math.max(c.maxLength, line.length() - 1);
                if (copyOut.wouldOverflow(row.length())) {
                    c.copyBlocks.add(copyOut.seal());
                }
                copyOut.append(row);
            }
            c.sealLineBlock(lineOut, ends);
            if (copyOut.size() > 0) {
                c.copyBlocks.add(copyOut.seal());
            }
            c.lines = count;
            c.firstLineOfBlock = firsts.stream().mapToLong(Long::longValue).toArray();
            return c;
        }

        private void sealLineBlock(ByteBlockWriter out, List<Integer> ends) {
            if (out.size() == 0) {
                return;
            }
            lineBlocks.add(out.seal());
            lineEnds.add(ends.stream().mapToInt(Integer::intValue).toArray());
            ends.clear();
        }

        /** Line i without its LF, as a buffer over the block (no copy). */
        ByteBuffer datagram(long i) {
            int b = Arrays.binarySearch(firstLineOfBlock, i);
            if (b < 0) {
                b = -b - 2;
            }
            int k = (int) (i - firstLineOfBlock[b]);
            int[] ends = lineEnds.get(b);
            int start = k == 0 ? 0 : ends[k - 1];
            return ByteBuffer.wrap(lineBlocks.get(b), start, ends[k] - start - 1);
        }
    }

    /** Fills fixed-size byte arrays with ASCII text, sealing each (trimmed) when the next item would not fit. */
    static final class ByteBlockWriter {
        private final int capacity;
        private byte[] buf;
        private int size;

        ByteBlockWriter(int capacity) {
            this.capacity = capacity;
            this.buf = new byte[capacity];
        }

        boolean wouldOverflow(int n) {
            return size + n > capacity && size > 0;
        }

        int size() {
            return size;
        }

        void append(CharSequence s) {
            int n = s.length();
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, size + n); // a single item larger than a block
            }
            for (int i = 0; i < n; i++) {
                buf[size++] = (byte) s.charAt(i); // generated text is ASCII
            }
        }

        byte[] seal() {
            byte[] out = Arrays.copyOf(buf, size);
            buf = new byte[capacity];
            size = 0;
            return out;
        }
    }

    /** Makes realistic PAN-OS 10.1 syslog lines (CSV TRAFFIC/THREAT or key=value) and the row each should become. */
    static final class PanosLineGenerator {
        private static final String DEVICE = "PA-BENCH-1";
        private static final String SERIAL = "013201009876";
        private static final String[] COUNTRIES = {"China", "United States", "Russian Federation", "Netherlands", "Brazil",
                "Korea Republic Of", "Germany", "India", "Viet Nam", "France", "Iran Islamic Republic Of", "Romania"};
        private static final int[] COMMON_PORTS = {22, 23, 80, 443, 445, 3389, 8080, 1433, 3306, 5900, 25, 53, 135, 139,
                8443, 5060, 6379, 9200, 2375, 11211};
        private static final String[] INBOUND_APPS = {"incomplete", "not-applicable", "insufficient-data", "unknown-tcp",
                "ssh", "ms-rdp", "web-browsing", "msrpc", "ms-ds-smbv3", "sip"};
        private static final String[] OUTBOUND_APPS = {"ssl", "web-browsing", "dns-base", "google-base", "ms-update", "quic"};
        private static final String[] OUTBOUND_CATEGORIES = {"computer-and-internet-info", "search-engines", "business-and-economy",
                "content-delivery-networks", "low-risk"};
        /** name, id, severity, category, subtype. */
        private static final String[][] THREATS = {
                {"Microsoft Windows SMB Remote Code Execution Vulnerability", "41234", "critical", "code-execution", "vulnerability"},
                {"Apache Log4j Remote Code Execution Vulnerability", "91991", "critical", "code-execution", "vulnerability"},
                {"SSH User Authentication Brute Force Attempt", "40015", "high", "brute-force", "vulnerability"},
                {"HTTP Directory Traversal Vulnerability", "30844", "medium", "info-leak", "vulnerability"},
                {"Nmap Scripting Engine Detection", "58433", "medium", "hacktool", "vulnerability"},
                {"PHP CGI Query String Parameter Vulnerability", "34829", "high", "code-execution", "vulnerability"},
                {"ZeroAccess.Gen Command and Control Traffic", "13235", "critical", "botnet", "spyware"},
                {"Suspicious TLS Evasion Found", "14978", "informational", "spyware", "spyware"},
                {"Windows Executable (EXE)", "52020", "low", "file", "file"},
                {"", "9999", "informational", "url", "url"},
        };
        private static final String[] RULE_UUIDS = {"2b7c0e11-4f6a-4c39-9a57-1e8d2f3b9c01", "7d1f5a22-0c3e-4b8d-8e61-5a9b7c2d4e10",
                "c4e8b933-6d2f-4a1b-b7c5-9f0e1d2c3b21"};
        private static final DateTimeFormatter PAN_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss", Locale.ROOT);
        private static final DateTimeFormatter BSD_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

        private final long seed;
        private final LocalDateTime firstTime;
        private final ZoneId zone = ZoneId.systemDefault();
        private final String receivedAt = Instant.now().toString();
        private final long linesPerSecond;
        private long cachedSecond = Long.MIN_VALUE;
        private String panTime;
        private String bsdTime;
        private String isoTime;
        private String isoOffsetTime;

        PanosLineGenerator(long seed, long count) {
            this.seed = seed;
            this.linesPerSecond = 1000;
            // the firewall's clock: the lines span the last count/1000 seconds up to now
            this.firstTime = LocalDateTime.now(zone).withNano(0).minusSeconds(count / linesPerSecond + 1);
        }

        private void times(long i) {
            long second = i / linesPerSecond;
            if (second != cachedSecond) {
                cachedSecond = second;
                LocalDateTime t = firstTime.plusSeconds(second);
                panTime = t.format(PAN_TIME);
                bsdTime = t.format(BSD_TIME);
                ZonedDateTime z = t.atZone(zone);
                isoTime = z.toOffsetDateTime().toString();
                isoOffsetTime = z.toOffsetDateTime().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx"));
            }
        }

        /** Appends line i to {@code line} and its expected row to {@code row}; returns T, H (threat) or K (key=value). */
        char next(long i, StringBuilder line, StringBuilder row, boolean rawInCopy) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            times(i);
            line.append("<14>").append(bsdTime).append(' ').append(DEVICE).append(' ');
            int pick = r.nextInt(100);
            Fields f = new Fields();
            char kind;
            if (pick < 60) {
                traffic(r, i, line, f);
                kind = 'T';
            } else if (pick < 80) {
                threat(r, i, line, f);
                kind = 'H';
            } else {
                keyValue(r, line, f);
                kind = 'K';
            }
            copyRow(row, f, rawInCopy ? line : null);
            return kind;
        }

        /** Values of the typed columns for one line. */
        private static final class Fields {
            String format, logType, subtype, srcIp, dstIp, srcLocation, dstLocation, srcUser, srcZone, dstZone, ruleName,
                    ruleUuid, action, protocol, application, threatName, severity;
            int srcPort, dstPort;
            Long threatId;
        }

        private void traffic(SplittableRandom r, long i, StringBuilder b, Fields f) {
            boolean outbound = r.nextInt(100) < 25;
            String subtype;
            String action;
            if (outbound) {
                subtype = "end";
                action = "allow";
            } else {
                int s = r.nextInt(3);
                subtype = s == 0 ? "end" : s == 1 ? "drop" : "deny";
                action = s == 0 ? "deny" : s == 1 ? "drop" : "deny";
            }
            Endpoints e = endpoints(r, outbound);
            String proto = protocol(r);
            int sport = proto.equals("icmp") ? 0 : 1024 + r.nextInt(64511);
            int dport = proto.equals("icmp") ? 0 : port(r);
            String app = outbound ? pick(r, OUTBOUND_APPS) : pick(r, INBOUND_APPS);
            String rule = outbound ? "Allow Outbound Web" : r.nextInt(100) < 45 ? "Active Defense Deny" : "Deny All Inbound";
            String ruleUuid = outbound ? RULE_UUIDS[2] : rule.startsWith("Active") ? RULE_UUIDS[0] : RULE_UUIDS[1];
            String user = outbound && r.nextInt(100) < 40 ? "corp\\user" + r.nextInt(500) : "";
            long bytesSent = outbound ? 200 + r.nextInt(90_000) : 60 + r.nextInt(200);
            long bytesRecv = outbound ? 200 + r.nextInt(900_000) : 0;
            long session = 100_000 + (i * 7919) % 9_000_000;
            String srcZone = outbound ? "trust" : "untrust";
            String dstZone = outbound ? "untrust" : r.nextInt(4) == 0 ? "dmz" : "trust";
            String[] v = new String[78];
            Arrays.fill(v, "");
            v[0] = "1"; v[1] = panTime; v[2] = SERIAL; v[3] = "TRAFFIC"; v[4] = subtype; v[5] = "2561"; v[6] = panTime;
            v[7] = e.src; v[8] = e.dst; v[9] = outbound ? "203.0.113.1" : "0.0.0.0"; v[10] = "0.0.0.0"; v[11] = rule;
            v[12] = user; v[14] = app; v[15] = "vsys1"; v[16] = srcZone; v[17] = dstZone;
            v[18] = outbound ? "ethernet1/2" : "ethernet1/1"; v[19] = outbound ? "ethernet1/1" : "ethernet1/2";
            v[20] = "Forward-To-ActiveDefense"; v[21] = panTime; v[22] = Long.toString(session); v[23] = "1";
            v[24] = Integer.toString(sport); v[25] = Integer.toString(dport);
            v[26] = outbound ? Integer.toString(1024 + r.nextInt(60000)) : "0"; v[27] = outbound ? Integer.toString(dport) : "0";
            v[28] = outbound ? "0x400053" : "0x19"; v[29] = proto; v[30] = action;
            v[31] = Long.toString(bytesSent + bytesRecv); v[32] = Long.toString(bytesSent); v[33] = Long.toString(bytesRecv);
            v[34] = Integer.toString(1 + r.nextInt(200)); v[35] = panTime; v[36] = Integer.toString(outbound ? r.nextInt(600) : 0);
            v[37] = outbound ? pick(r, OUTBOUND_CATEGORIES) : "any"; v[38] = "0"; v[39] = Long.toString(7_000_000_000L + i);
            v[40] = "0x8000000000000000"; v[41] = e.srcLocation; v[42] = e.dstLocation; v[43] = "0";
            v[44] = Integer.toString(1 + r.nextInt(100)); v[45] = outbound ? Integer.toString(r.nextInt(100)) : "0";
            v[46] = outbound ? "tcp-fin" : "policy-deny"; v[47] = "0"; v[48] = "0"; v[49] = "0"; v[50] = "0";
            v[52] = DEVICE; v[53] = "from-policy"; v[56] = "0"; v[58] = "0"; v[60] = "N/A";
            v[61] = "0"; v[62] = "0"; v[63] = "0"; v[64] = "0"; v[65] = ruleUuid; v[66] = "0"; v[67] = "0"; v[68] = "0"; v[69] = "0";
            join(b, v);
            f.format = "csv"; f.logType = "TRAFFIC"; f.subtype = subtype; f.srcIp = e.src; f.dstIp = e.dst;
            f.srcPort = sport; f.dstPort = dport; f.srcLocation = e.srcLocation; f.dstLocation = e.dstLocation;
            f.srcUser = user; f.srcZone = srcZone; f.dstZone = dstZone; f.ruleName = rule; f.ruleUuid = ruleUuid;
            f.action = action; f.protocol = proto; f.application = app;
        }

        private void threat(SplittableRandom r, long i, StringBuilder b, Fields f) {
            String[] t = THREATS[r.nextInt(THREATS.length)];
            boolean url = t[4].equals("url");
            Endpoints e = endpoints(r, url);
            String proto = url ? "tcp" : r.nextInt(10) == 0 ? "udp" : "tcp";
            int sport = 1024 + r.nextInt(64511);
            int dport = url ? 443 : port(r);
            String action = url ? "block-url" : pick(r, new String[] {"alert", "reset-both", "drop", "reset-server"});
            String rule = url ? "Allow Outbound Web" : "Inbound Services";
            String ruleUuid = url ? RULE_UUIDS[2] : RULE_UUIDS[1];
            String app = url ? "ssl" : dport == 22 ? "ssh" : dport == 445 ? "ms-ds-smbv3" : "web-browsing";
            // the URL/filename field is quoted and, like real ones, may contain commas
            String urlField = url
                    ? "\"shop" + r.nextInt(1000) + ".example.com/cart?items=" + r.nextInt(99) + "," + r.nextInt(99) + "&ref=a,b\""
                    : t[3].equals("file") ? "\"setup_" + r.nextInt(9999) + ".exe\""
                    : r.nextInt(3) == 0 ? "\"\"" : "\"" + e.dst + "/cgi-bin/test.cgi?id=" + r.nextInt(100_000) + ",1\"";
            String threatField = t[0] + "(" + t[1] + ")";
            String srcZone = url ? "trust" : "untrust";
            String dstZone = url ? "untrust" : "dmz";
            String[] v = new String[120];
            Arrays.fill(v, "");
            v[0] = "1"; v[1] = panTime; v[2] = SERIAL; v[3] = "THREAT"; v[4] = t[4]; v[5] = "2561"; v[6] = panTime;
            v[7] = e.src; v[8] = e.dst; v[9] = "0.0.0.0"; v[10] = "0.0.0.0"; v[11] = rule; v[14] = app; v[15] = "vsys1";
            v[16] = srcZone; v[17] = dstZone; v[18] = "ethernet1/1"; v[19] = "ethernet1/3"; v[20] = "Forward-To-ActiveDefense";
            v[21] = panTime; v[22] = Long.toString(200_000 + (i * 104729) % 9_000_000); v[23] = "1";
            v[24] = Integer.toString(sport); v[25] = Integer.toString(dport); v[26] = "0"; v[27] = "0"; v[28] = "0x2000";
            v[29] = proto; v[30] = action; v[31] = urlField; v[32] = threatField; v[33] = url ? "shopping" : "any";
            v[34] = t[2]; v[35] = "client-to-server"; v[36] = Long.toString(7_200_000_000_000_000_000L + i);
            v[37] = "0x8000000000000000"; v[38] = e.srcLocation; v[39] = e.dstLocation; v[42] = "0"; v[45] = "0";
            v[53] = "0"; v[54] = "0"; v[55] = "0"; v[56] = "0"; v[57] = "0"; v[59] = DEVICE; v[64] = "0"; v[66] = "0";
            v[68] = "N/A"; v[69] = t[3]; v[70] = "AppThreat-8760-8201"; v[71] = "0x0"; v[72] = "0"; v[73] = "4294967295";
            v[76] = ruleUuid; v[77] = "0"; v[106] = "0"; v[107] = isoOffsetTime;
            v[111] = "networking"; v[112] = "client-server"; v[113] = Integer.toString(1 + r.nextInt(5));
            v[114] = "\"used-by-malware,able-to-transfer-file,has-known-vulnerability\"";
            v[116] = app; v[117] = "no"; v[118] = "no";
            join(b, v);
            f.format = "csv"; f.logType = "THREAT"; f.subtype = t[4]; f.srcIp = e.src; f.dstIp = e.dst;
            f.srcPort = sport; f.dstPort = dport; f.srcLocation = e.srcLocation; f.dstLocation = e.dstLocation;
            f.srcZone = srcZone; f.dstZone = dstZone; f.ruleName = rule; f.ruleUuid = ruleUuid; f.action = action;
            f.protocol = proto; f.application = app; f.threatName = t[0].isEmpty() ? null : t[0];
            f.threatId = Long.parseLong(t[1]); f.severity = t[2];
        }

        private void keyValue(SplittableRandom r, StringBuilder b, Fields f) {
            boolean isThreat = r.nextBoolean();
            Endpoints e = endpoints(r, false);
            int sport = 1024 + r.nextInt(64511);
            int dport = port(r);
            boolean edl = r.nextInt(100) < 50;
            String rule = edl ? "Active Defense Deny" : "Deny All Inbound";
            String ruleUuid = edl ? RULE_UUIDS[0] : RULE_UUIDS[1];
            String action = isThreat ? pick(r, new String[] {"alert", "reset-both", "drop"}) : edl ? "deny" : "drop";
            String[] t = THREATS[r.nextInt(6)];
            String subtype = isThreat ? t[4] : edl ? "deny" : "drop";
            b.append("SrcLocation=").append(e.srcLocation).append("; SrcIP=").append(e.src).append("; SrcPort=").append(sport)
                    .append("; SrcUser=; DstLocation=").append(e.dstLocation).append("; DstIP=").append(e.dst)
                    .append("; DstPort=").append(dport).append("; Action=").append(action).append("; RuleName=").append(rule)
                    .append("; RuleID=").append(ruleUuid).append("; TimeReceived=").append(panTime)
                    .append("; ThreatName=").append(isThreat ? t[0] : "")
                    .append("; ThreatID=").append(isThreat ? t[0] + "(" + t[1] + ")" : "")
                    .append("; Severity=").append(isThreat ? t[2] : "informational")
                    .append("; Subtype=").append(subtype).append("; Type= ").append(isThreat ? "THREAT" : "TRAFFIC").append(';');
            f.format = "kv"; f.logType = isThreat ? "THREAT" : "TRAFFIC"; f.subtype = subtype; f.srcIp = e.src; f.dstIp = e.dst;
            f.srcPort = sport; f.dstPort = dport; f.srcLocation = e.srcLocation; f.dstLocation = e.dstLocation;
            f.ruleName = rule; f.ruleUuid = ruleUuid; f.action = action;
            if (isThreat) {
                f.threatName = t[0];
                f.threatId = Long.parseLong(t[1]);
            }
            f.severity = isThreat ? t[2] : "informational";
        }

        private record Endpoints(String src, String dst, String srcLocation, String dstLocation) {
        }

        /** Inbound: an outside attacker to one of our addresses; outbound: one of our hosts to the internet. */
        private static Endpoints endpoints(SplittableRandom r, boolean outbound) {
            String outside;
            String outsideLocation = COUNTRIES[r.nextInt(COUNTRIES.length)];
            int kind = r.nextInt(10);
            if (kind < 3) {
                String[] docs = {"192.0.2.", "198.51.100.", "203.0.113."};
                outside = docs[r.nextInt(3)] + (1 + r.nextInt(254));
            } else {
                outside = publicLooking(r);
            }
            String inside;
            String insideLocation;
            if (r.nextInt(4) == 0) {
                inside = "198.51.100." + (1 + r.nextInt(62)); // our public block
                insideLocation = "United States";
            } else {
                inside = "10." + r.nextInt(4) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
                insideLocation = "10.0.0.0-10.255.255.255";
            }
            return outbound ? new Endpoints(inside, outside, insideLocation, outsideLocation)
                    : new Endpoints(outside, inside, outsideLocation, insideLocation);
        }

        private static String publicLooking(SplittableRandom r) {
            while (true) {
                int a = 1 + r.nextInt(223);
                if (a == 10 || a == 100 || a == 127 || a == 169 || a == 172 || a == 192 || a == 198 || a == 203) {
                    continue; // keep clear of private, CGNAT, loopback, link-local and documentation blocks
                }
                return a + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
            }
        }

        private static String protocol(SplittableRandom r) {
            int p = r.nextInt(100);
            return p < 85 ? "tcp" : p < 97 ? "udp" : "icmp";
        }

        private static int port(SplittableRandom r) {
            return r.nextInt(100) < 70 ? COMMON_PORTS[r.nextInt(COMMON_PORTS.length)] : 1 + r.nextInt(65535);
        }

        private static String pick(SplittableRandom r, String[] options) {
            return options[r.nextInt(options.length)];
        }

        private static void join(StringBuilder b, String[] v) {
            for (int k = 0; k < v.length; k++) {
                if (k > 0) {
                    b.append(',');
                }
                b.append(v[k]);
            }
        }

        private void copyRow(StringBuilder row, Fields f, CharSequence raw) {
            row.append(receivedAt).append('\t');
            copyText(row, DEVICE).append('\t');
            copyText(row, "127.0.0.1").append('\t');
            copyText(row, f.format).append('\t');
            copyText(row, f.logType).append('\t');
            copyText(row, f.subtype).append('\t');
            copyText(row, f.srcIp).append('\t');
            copyText(row, f.dstIp).append('\t');
            row.append(f.srcPort).append('\t');
            row.append(f.dstPort).append('\t');
            copyText(row, f.srcLocation).append('\t');
            copyText(row, f.dstLocation).append('\t');
            copyText(row, f.srcUser).append('\t');
            copyText(row, f.srcZone).append('\t');
            copyText(row, f.dstZone).append('\t');
            copyText(row, f.ruleName).append('\t');
            copyText(row, f.ruleUuid).append('\t');
            copyText(row, f.action).append('\t');
            copyText(row, f.protocol).append('\t');
            copyText(row, f.application).append('\t');
            copyText(row, f.threatName).append('\t');
            row.append(f.threatId == null ? "\\N" : f.threatId.toString()).append('\t');
            copyText(row, f.severity).append('\t');
            row.append(isoTime).append('\t');
            copyText(row, raw).append('\n');
        }

        /** COPY text format: \N for null or empty, and backslash, tab, CR, LF escaped. */
        private static StringBuilder copyText(StringBuilder out, CharSequence s) {
            if (s == null || s.length() == 0) {
                return out.append("\\N");
            }
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(c);
                }
            }
            return out;
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** Prints the median and min–max of each figure over the runs, as a plain-text table. */
    static final class Summary {
        private record Figure(String key, String label, String format) {
        }

        private static final List<Figure> FIGURES = List.of(
                new Figure("copy.rows_per_s", "COPY ceiling, rows/s (1 connection)", "%,.0f"),
                new Figure("copy.pg_cpu_s_per_m", "COPY: PostgreSQL CPU s per 1M rows", "%.1f"),
                new Figure("tcp.stored_per_s", "TCP stored, lines/s (end to end)", "%,.0f"),
                new Figure("tcp.ratio", "TCP stored rate / COPY ceiling", "%.2f"),
                new Figure("tcp.lost", "TCP lost lines (sent-stored-rejected)", "%,.0f"),
                new Figure("tcp.rejected", "TCP rejected lines", "%,.0f"),
                new Figure("tcp.svc_cpu_s_per_m", "TCP: service CPU s per 1M lines", "%.1f"),
                new Figure("tcp.pg_cpu_s_per_m", "TCP: PostgreSQL CPU s per 1M lines", "%.1f"),
                new Figure("tcp.cpu_us_per_line", "TCP: total CPU µs per line", "%.1f"),
                new Figure("tcp.cores_busy", "TCP: cores busy (service+PostgreSQL)", "%.2f"),
                new Figure("tcp.heap_peak_mib", "TCP: service heap peak used, MiB", "%.0f"),
                new Figure("tcp.old_peak_mib", "TCP: service old gen peak, MiB", "%.0f"),
                new Figure("udp.offered", "UDP offered lines", "%,.0f"),
                new Figure("udp.offered_per_s", "UDP offered rate, lines/s", "%,.0f"),
                new Figure("udp.received", "UDP received (metric)", "%,.0f"),
                new Figure("udp.dropped_queue", "UDP dropped, queue full (metric)", "%,.0f"),
                new Figure("udp.stored", "UDP stored rows", "%,.0f"),
                new Figure("udp.rejected", "UDP rejected lines", "%,.0f"),
                new Figure("udp.loss_pct", "UDP loss % (offered-stored)/offered", "%.2f"),
                new Figure("udp.rcvbuf_errors", "UDP kernel RcvbufErrors (host)", "%,.0f"),
                new Figure("udp.svc_cpu_s_per_m", "UDP: service CPU s per 1M lines", "%.1f"),
                new Figure("udp.pg_cpu_s_per_m", "UDP: PostgreSQL CPU s per 1M lines", "%.1f"),
                new Figure("udp.cpu_us_per_line", "UDP: total CPU µs per line", "%.1f"),
                new Figure("udp.heap_peak_mib", "UDP: service heap peak used, MiB", "%.0f"),
                new Figure("copy.other_cores", "noise: other processes' cores, COPY", "%.2f"),
                new Figure("tcp.other_cores", "noise: other processes' cores, TCP", "%.2f"),
                new Figure("udp.other_cores", "noise: other processes' cores, UDP", "%.2f"));

        static void print(Report report, List<Map<String, Double>> runs, Options opts, SyslogCorpus corpus) {
            report.line("=== summary: median (min – max) over " + runs.size() + " run(s) ===");
            report.line(String.format(Locale.ROOT, "date %s, nproc %d, %,d lines (%.0f B mean) over %d TCP connection(s), UDP %,d/s for %d s",
                    ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")), Runtime.getRuntime().availableProcessors(),
                    corpus.lines(), corpus.bytes() / (double) corpus.lines(), opts.connections, opts.udpRate, opts.udpSeconds));
            report.line(String.format(Locale.ROOT, "%-40s %14s   %s", "figure", "median", "min – max (n)"));
            for (Figure f : FIGURES) {
                List<Double> values = new ArrayList<>();
                for (Map<String, Double> run : runs) {
                    Double v = run.get(f.key);
                    if (v != null && !v.isNaN()) {
                        values.add(v);
                    }
                }
                if (values.isEmpty()) {
                    continue; // a phase left out with --phases, or one that failed in every run
                }
                values.sort(Comparator.naturalOrder());
                int n = values.size();
                double median = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
                report.line(String.format(Locale.ROOT, "%-40s %14s   %s – %s (%d)", f.label, String.format(Locale.ROOT, f.format, median),
                        String.format(Locale.ROOT, f.format, values.get(0)), String.format(Locale.ROOT, f.format, values.get(n - 1)), n));
            }
        }
    }

    /** Counts warnings and errors in a service log and quotes the first few distinct ones. */
    static final class LogScan {
        static String of(Path log) {
            int errors = 0;
            int warnings = 0;
            Set<String> firsts = new LinkedHashSet<>();
            try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    boolean error = line.contains(" ERROR ") || line.contains("Exception in thread");
                    boolean warn = line.contains(" WARN ");
                    if (error) {
                        errors++;
                    }
                    if (warn) {
                        warnings++;
                    }
                    // quote a few, but never a line that shows a credential (the first-admin password)
                    if ((error || warn) && firsts.size() < 3 && !line.toLowerCase(Locale.ROOT).contains("password")) {
                        String msg = line.replaceFirst("^\\S+ \\S+ ", "");
                        firsts.add(msg.length() > 180 ? msg.substring(0, 180) + "…" : msg);
                    }
                }
            } catch (IOException e) {
                return "log unreadable: " + e.getMessage();
            }
            if (errors + warnings == 0) {
                return "log: no ERROR/WARN lines";
            }
            return "log: " + errors + " ERROR, " + warnings + " WARN lines" + (firsts.isEmpty() ? "" : ", e.g. " + String.join(" | ", firsts));
        }
    }

    /** Everything printed, kept to be saved as report.txt at the end. */
    static final class Report {
        private final StringBuilder text = new StringBuilder();

        synchronized void line(String s) {
            System.out.println(s);
            System.out.flush();
            text.append(s).append('\n');
        }

        void blank() {
            line("");
        }

        synchronized String text() {
            return text.toString();
        }
    }

    // ------------------------------------------------------------------------------------------------

    static List<String> existingColumns(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Detection runs recorded so far (the service's scheduled detection shares the cores), or -1 when
     * the build has no detection. A run still in progress is not visible yet (its row is not committed).
     */
    static long detectionRuns(Connection c) {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CASE WHEN to_regclass('detection_run') IS NULL THEN -1 "
                     + "ELSE (xpath('/row/n/text()', query_to_xml('SELECT count(*) AS n FROM detection_run', false, false, '')))[1]::text::bigint END")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    static String detectionNote(long runs) {
        return runs < 0 ? "    (no detection_run table: detection not in this build)"
                : "    detection runs finished by the end of the phase (detect.cron, sharing the cores): " + runs
                + " (a run still going is not counted; non-COPY/INSERT sessions in the PostgreSQL samples show it)";
    }

    static Map<String, Long> udpSnmp() {
        Map<String, Long> out = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    String[] names = lines.get(i).split("\\s+");
                    String[] values = lines.get(i + 1).split("\\s+");
                    for (int k = 1; k < Math.min(names.length, values.length); k++) {
                        out.put(names[k], Long.parseLong(values[k]));
                    }
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no kernel counters
        }
        return out;
    }

    static String commandOf(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String jdkTool(String name) {
        Path p = Path.of(System.getProperty("java.home"), "bin", name);
        return Files.isExecutable(p) ? p.toString() : name;
    }

    static String tail(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log)";
        }
    }

    static String readFirstLine(Path p) {
        try {
            return Files.readAllLines(p).get(0).trim();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static String memTotal() {
        String kb = readFirstLine(Path.of("/proc/meminfo")).replaceAll("\\D", "");
        return kb.isEmpty() ? "memory ?" : String.format(Locale.ROOT, "%.0f GiB RAM", Long.parseLong(kb) / 1048576.0);
    }

    static String osName() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
