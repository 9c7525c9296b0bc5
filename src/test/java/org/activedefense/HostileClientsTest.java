package org.activedefense;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Floods and hostile clients over real sockets: connection limits, idle and slow-drip connections,
 * the per-connection frame limit, per-sender metrics (127.0.0.1 and 127.0.0.2 on the loopback) and
 * a UDP flood far above what the service can store.
 */
class HostileClientsTest {

    private static final String LINE = "<14>Nov 22 13:00:00 fw1 " + PanosLines.traffic(Map.of());
    private static final InetAddress SECOND_SENDER = address("127.0.0.2");

    @Test
    void connectionsOverTheLimitAreClosedAtOnceAndCounted() throws Exception {
        try (RunningService service = RunningService.start("conn-limit", Map.of(
                "syslog.tcp.max-connections", "3", "syslog.tcp.max-connections-per-sender", "0"))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(service.openTcp());
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> service.metric("activedefense_syslog_connections_open") == 3);
                try (Socket excess = service.openTcp()) {
                    assertClosedByServer(excess);
                }
                assertEquals(1, service.metric("activedefense_syslog_connections_refused_total{cause=\"max_connections\"}"));
                // the held connections still work, and a slot freed is a slot for someone else
                RunningService.write(held.get(0), LINE + "\n");
                held.remove(2).close();
                await().atMost(Duration.ofSeconds(10)).until(() -> service.metric("activedefense_syslog_connections_open") == 2);
                try (Socket next = service.openTcp()) {
                    RunningService.write(next, LINE + "\n");
                    await().atMost(Duration.ofSeconds(10)).until(() -> service.count("SELECT count(*) FROM firewall_log") == 2);
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void oneSenderCannotTakeEveryConnection() throws Exception {
        try (RunningService service = RunningService.start("conn-limit-sender", Map.of(
                "syslog.tcp.max-connections-per-sender", "2"))) {
            try (Socket a = service.openTcp(); Socket b = service.openTcp()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> service.metric("activedefense_syslog_connections_open") == 2);
                try (Socket third = service.openTcp()) {
                    assertClosedByServer(third);
                }
                assertEquals(1, service.metric(
                        "activedefense_syslog_connections_refused_total{cause=\"max_connections_per_sender\"}"));
                try (Socket other = openTcpFrom(service, SECOND_SENDER)) {
                    RunningService.write(other, LINE + "\n");
                    await().atMost(Duration.ofSeconds(10)).until(() -> service.count(
                            "SELECT count(*) FROM firewall_log WHERE sender = '127.0.0.2'") == 1);
                }
            }
        }
    }

    @Test
    void idleAndSlowDripConnectionsAreClosedWhileASlowButWholeSenderStays() throws Exception {
        try (RunningService service = RunningService.start("idle-timeout", Map.of("syslog.tcp.idle-timeout-seconds", "2"))) {
            AtomicBoolean sending = new AtomicBoolean(true);
            try (Socket silent = service.openTcp(); Socket drip = service.openTcp(); Socket steady = service.openTcp()) {
                // a byte every 200 ms, never a whole line: never idle in bytes, always idle in frames
                Thread dripper = started(() -> writeUntilClosed(drip, sending, "x", 200));
                Thread stead = started(() -> writeUntilClosed(steady, sending, LINE + "\n", 500));
                assertClosedByServer(silent);
                assertClosedByServer(drip);
                assertTrue(steady.isConnected());
                long stored = service.count("SELECT count(*) FROM firewall_log");
                await().atMost(Duration.ofSeconds(10)).until(() -> service.count("SELECT count(*) FROM firewall_log") > stored + 2);
                assertEquals(2, service.metric("activedefense_syslog_connections_idle_closed_total"));
                assertEquals(1, service.metric("activedefense_syslog_connections_open"), "the steady sender is still connected");
                sending.set(false);
                dripper.join();
                stead.join();
            }
        }
    }

    @Test
    void manySlowDripConnectionsDoNotStarveANormalSender() throws Exception {
        int drips = 200;
        int lines = 2000;
        try (RunningService service = RunningService.start("slow-drip", Map.of("syslog.tcp.max-connections-per-sender", "0"))) {
            AtomicBoolean dripping = new AtomicBoolean(true);
            List<Socket> sockets = new ArrayList<>();
            List<Thread> drippers = new ArrayList<>();
            try {
                for (int i = 0; i < drips; i++) {
                    Socket s = service.openTcp();
                    sockets.add(s);
                    // a partial line, a byte at a time, plus an octet count that promises a large frame
                    String text = i % 2 == 0 ? "<14>Nov 22 13:00:00 slow " : "60000 <14>";
                    drippers.add(started(() -> writeUntilClosed(s, dripping, text, 50)));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> service.metric("activedefense_syslog_connections_open") == drips);
                try (Socket normal = service.openTcp()) {
                    StringBuilder block = new StringBuilder();
                    for (int i = 0; i < lines; i++) {
                        block.append(LINE).append('\n');
                    }
                    RunningService.write(normal, block.toString());
                    await().atMost(Duration.ofSeconds(30)).until(() -> service.count("SELECT count(*) FROM firewall_log") == lines);
                }
            } finally {
                dripping.set(false);
                for (Thread t : drippers) {
                    t.join();
                }
                for (Socket s : sockets) {
                    s.close();
                }
            }
            assertEquals(0, service.count("SELECT count(*) FROM firewall_log WHERE device = 'slow'"));
        }
    }

    @Test
    void theFrameLimitHoldsPerConnection() throws Exception {
        try (RunningService service = RunningService.start("frame-limit", Map.of("syslog.max-frame-bytes", "1024"))) {
            try (Socket big = service.openTcp(); Socket normal = service.openTcp()) {
                // an over-long line arriving in pieces, interleaved with another connection's lines
                String longLine = "<14>Nov 22 13:00:00 fw1 " + "A".repeat(5000);
                for (int i = 0; i < 5; i++) {
                    RunningService.write(big, longLine.substring(i * 1000, Math.min(longLine.length(), (i + 1) * 1000)));
                    RunningService.write(normal, LINE + "\n");
                }
                RunningService.write(big, longLine.substring(5000) + "\n" + LINE + "\n");
                await().atMost(Duration.ofSeconds(10)).until(() -> service.count("SELECT count(*) FROM firewall_log") == 6
                        && service.count("SELECT count(*) FROM rejected_line") == 1);
            }
            assertEquals(1, service.metric("activedefense_syslog_frames_oversized_total"));
            assertTrue(service.rows("SELECT reason FROM rejected_line").get(0).get("reason").contains("max-frame-bytes"));
        }
    }

    @Test
    void framesAreCountedPerSenderAddress() throws Exception {
        try (RunningService service = RunningService.start("per-sender", Map.of())) {
            for (int i = 0; i < 5; i++) {
                service.sendUdp(LINE);
            }
            try (DatagramSocket from2 = new DatagramSocket(new InetSocketAddress(SECOND_SENDER, 0))) {
                for (int i = 0; i < 3; i++) {
                    sendUdp(from2, service, LINE);
                }
            }
            try (Socket tcp = openTcpFrom(service, SECOND_SENDER)) {
                RunningService.write(tcp, LINE + "\n" + LINE + "\n");
                await().atMost(Duration.ofSeconds(10)).until(() -> service.count("SELECT count(*) FROM firewall_log") == 10);
            }
            assertEquals(5, service.metric("activedefense_sender_frames_received_total{sender=\"127.0.0.1\"}"));
            assertEquals(5, service.metric("activedefense_sender_frames_received_total{sender=\"127.0.0.2\"}"));
            assertEquals(0, service.metric("activedefense_sender_frames_received_total{sender=\"other\"}"));
            assertEquals(2, service.metric("activedefense_sender_tracked"));
        }
    }

    @Test
    void sendersBeyondTheCapAreFoldedIntoOther() throws Exception {
        try (RunningService service = RunningService.start("per-sender-cap", Map.of("syslog.sender-metrics.max-senders", "1"))) {
            service.sendUdp(LINE);
            await().atMost(Duration.ofSeconds(10)).until(() -> service.count("SELECT count(*) FROM firewall_log") == 1);
            try (DatagramSocket from2 = new DatagramSocket(new InetSocketAddress(SECOND_SENDER, 0))) {
                sendUdp(from2, service, LINE);
                sendUdp(from2, service, LINE);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> service.count("SELECT count(*) FROM firewall_log") == 3);
            assertEquals(1, service.metric("activedefense_sender_frames_received_total{sender=\"127.0.0.1\"}"));
            assertEquals(2, service.metric("activedefense_sender_frames_received_total{sender=\"other\"}"));
            assertTrue(Double.isNaN(service.metric("activedefense_sender_frames_received_total{sender=\"127.0.0.2\"}")));
        }
    }

    @Test
    void aUdpFloodFarAboveCapacityLeavesTheServiceResponsiveAndCountsDropsPerSender() throws Exception {
        try (RunningService service = RunningService.start("udp-flood", Map.of(
                "ingest.queue-capacity", "500", "ingest.batch-size", "100", "ingest.writer-threads", "1"))) {
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            List<Thread> flooders = new ArrayList<>();
            for (InetAddress from : List.of(InetAddress.getLoopbackAddress(), SECOND_SENDER)) {
                flooders.add(started(() -> {
                    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
                        while (flooding.get()) {
                            sendUdp(socket, service, LINE);
                            sent.incrementAndGet();
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            HttpClient http = HttpClient.newHttpClient();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> service.metric(
                        "activedefense_sender_frames_dropped_total{cause=\"queue_full\",sender=\"127.0.0.2\"}") > 0
                        && service.metric("activedefense_sender_frames_dropped_total{cause=\"queue_full\",sender=\"127.0.0.1\"}") > 0);
                // while the flood goes on, the EDL and health answer (each request has 5 s)
                for (int i = 0; i < 10; i++) {
                    for (String path : List.of("/files/blacklist.txt", "/observe/health")) {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + service.httpPort + path)).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, r.statusCode(), path);
                    }
                }
            } finally {
                flooding.set(false);
                for (Thread t : flooders) {
                    t.join();
                }
            }
            // every received datagram is stored or counted as dropped, in all and per sender
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    service.metric("activedefense_syslog_frames_received_total{transport=\"udp\"}")
                            == service.count("SELECT count(*) FROM firewall_log")
                            + service.metric("activedefense_syslog_frames_dropped_total{cause=\"queue_full\",transport=\"udp\"}"));
            double droppedPerSender = service.metric("activedefense_sender_frames_dropped_total{cause=\"queue_full\",sender=\"127.0.0.1\"}")
                    + service.metric("activedefense_sender_frames_dropped_total{cause=\"queue_full\",sender=\"127.0.0.2\"}");
            assertEquals(service.metric("activedefense_syslog_frames_dropped_total{cause=\"queue_full\",transport=\"udp\"}"),
                    droppedPerSender);
            assertTrue(service.metric("activedefense_syslog_frames_received_total{transport=\"udp\"}") <= sent.get());
            assertEquals(0, service.metric("activedefense_ingest_queue_depth"));
        }
    }

    private static Thread started(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A client pacing its writes (the pause is the client's behaviour under test, not a wait for a result). */
    private static void writeUntilClosed(Socket socket, AtomicBoolean go, String text, long everyMs) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        try {
            while (go.get()) {
                if (text.length() > 1 && text.endsWith("\n")) {
                    RunningService.write(socket, bytes);
                } else {
                    RunningService.write(socket, new byte[] {bytes[i++ % bytes.length]});
                }
                Thread.sleep(everyMs);
            }
        } catch (IOException | InterruptedException e) {
            // closed by the service: what the test waits for
        }
    }

    /** Waits until the service closes the connection (reads end-of-stream or a reset). */
    private static void assertClosedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(500);
        InputStream in = socket.getInputStream();
        await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).until(() -> {
            try {
                return in.read() == -1;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            }
        });
    }

    private static Socket openTcpFrom(RunningService service, InetAddress from) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.tcpPort, from, 0);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static void sendUdp(DatagramSocket socket, RunningService service, String line) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), service.udpPort));
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
