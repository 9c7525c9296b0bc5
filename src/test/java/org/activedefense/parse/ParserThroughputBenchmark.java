package org.activedefense.parse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rough single-thread throughput of {@link PanosLogParser} over the copied samples, CSV and key=value
 * apart. A {@code main} program rather than a timed test, so a busy build machine cannot fail a build.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:<fastcsv.jar>:<ipaddress.jar>
 * org.activedefense.parse.ParserThroughputBenchmark [seconds-per-phase]}
 */
public final class ParserThroughputBenchmark {

    private ParserThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        PanosLogParser parser = new PanosLogParser(KeyAliases.defaults(), DeviceTimeZones.parse("UTC", ""), true);
        List<String> csv = new ArrayList<>();
        List<String> flows = new ArrayList<>();
        List<String> kv = new ArrayList<>();
        for (String file : SampleLines.FILES) {
            for (String line : SampleLines.of(file)) {
                LogRecord record = parser.parse(line, "192.0.2.1", Instant.EPOCH);
                (record.format == LogRecord.Format.KV ? kv : csv).add(line);
                if (record.format == LogRecord.Format.CSV && record.srcIp != null
                        && ("TRAFFIC".equals(record.logType) || "THREAT".equals(record.logType))) {
                    flows.add(line);
                }
            }
        }
        // The seed custom format, as the product's own firewall rule sends it.
        List<String> seed = List.of("<14>Nov 22 13:01:03 PA-220 "
                + "SrcLocation=China; SrcIP=203.0.113.7; SrcPort=51234; SrcUser=; "
                + "DstLocation=10.0.0.0-10.255.255.255; DstIP=198.51.100.10; DstPort=445; Action=deny; "
                + "RuleName=Active Defense Deny; RuleID=2b7c9e4a-1f3d-4c8b-9a6e-5d2f7b1c0e93; "
                + "TimeReceived=2026/11/22 13:01:02; ThreatName=Microsoft Windows SMB Remote Code Execution "
                + "Vulnerability (MS17-010); ThreatID=Microsoft Windows SMB Remote Code Execution Vulnerability "
                + "(MS17-010)(41234); Severity=critical; Subtype=vulnerability; Type= THREAT;");
        kv.addAll(seed);
        run("warm-up CSV", parser, csv, seconds);
        run("warm-up flow", parser, flows, seconds);
        run("warm-up KV", parser, kv, seconds);
        run("CSV", parser, csv, seconds);
        run("CSV flows", parser, flows, seconds);
        run("KV", parser, kv, seconds);
        run("KV seed", parser, seed, seconds);
    }

    private static void run(String label, PanosLogParser parser, List<String> lines, double seconds)
            throws RejectedLineException {
        String[] input = lines.toArray(new String[0]);
        long characters = 0;
        for (String line : input) {
            characters += line.length();
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long parsed = 0;
        long sink = 0;
        long start = System.nanoTime();
        while (System.nanoTime() < deadline) {
            for (String line : input) {
                sink += parser.parse(line, "192.0.2.1", Instant.EPOCH).hashCode();
            }
            parsed += input.length;
        }
        long elapsed = System.nanoTime() - start;
        System.out.printf("%-12s %4d distinct lines, avg %4d chars: %8.0f ns/line, %7.0f lines/s (%d)%n",
                label, input.length, characters / input.length, (double) elapsed / parsed,
                parsed * 1e9 / elapsed, sink & 1);
    }
}
