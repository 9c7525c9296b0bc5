package org.activedefense.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.activedefense.policy.CidrAggregation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the blacklist as PAN-OS External Dynamic Lists: text, one address per line, most
 * recently active first, capped, with ETag and Last-Modified.
 *
 * <p>A rendered list is kept until the blacklist changes here ({@link #invalidate}) or for
 * {@code edl.cache-seconds} (changes made by another node), so a firewall's poll costs no query;
 * and when the database is unreachable the last good list keeps being served — a firewall that
 * fetched an empty list would unblock everyone.
 */
public final class EdlPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EdlPublisher.class);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** One list the service publishes: its file name and which entries it holds. */
    public enum ListKind {
        ALL("blacklist.txt", "TRUE"),
        PORT_SCAN("blacklist-port-scan.txt", "case_name = 'port-scan'"),
        HOST_SWEEP("blacklist-host-sweep.txt", "case_name = 'host-sweep'"),
        VULNERABILITY("blacklist-vulnerability.txt", "case_name = 'vulnerability'"),
        MANUAL("blacklist-manual.txt", "source = 'manual'"),
        IPV4("blacklist-ipv4.txt", "family(address) = 4"),
        IPV6("blacklist-ipv6.txt", "family(address) = 6");

        final String fileName;
        final String condition;

        ListKind(String fileName, String condition) {
            this.fileName = fileName;
            this.condition = condition;
        }

        static ListKind byFileName(String name) {
            for (ListKind k : values()) {
                if (k.fileName.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** A rendered list, ready to send. */
    public record Rendered(byte[] body, byte[] gzipped, String etag, Instant lastModified, int entries,
                           long builtAtNanos) {
    }

    /** What to answer to one request. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
    }

    private final DataSource dataSource;
    /** Read at every render: both can be changed in the console while the service runs. */
    private final java.util.function.IntSupplier maxEntries;
    private final java.util.function.BooleanSupplier aggregate;
    private final long cacheNanos;
    private final String basicCredentials;
    private final Map<ListKind, Rendered> cache = new ConcurrentHashMap<>();
    /** One render at a time per list; see {@link #current}. */
    private final Map<ListKind, java.util.concurrent.locks.ReentrantLock> renderLocks = new java.util.EnumMap<>(ListKind.class);
    private final AtomicInteger listedTotal = new AtomicInteger();
    private final Counter requests;
    private final Counter notModified;
    private final Counter unauthorized;
    private volatile boolean capWarned;
    /** Last-Modified of a list that has never changed. */
    private final Instant startedAt = Instant.now();

    /**
     * @param username EDL basic-auth user, or blank for an open EDL
     */
    public EdlPublisher(DataSource dataSource, int maxEntries, boolean aggregate, int cacheSeconds,
                        String username, String password, MeterRegistry meters) {
        this(dataSource, positive(maxEntries), () -> aggregate, cacheSeconds, username, password, meters);
    }

    private static java.util.function.IntSupplier positive(int maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("edl.max-entries must be positive");
        }
        return () -> maxEntries;
    }

    /** With the cap and aggregation read from {@code maxEntries} and {@code aggregate} at each render. */
    public EdlPublisher(DataSource dataSource, java.util.function.IntSupplier maxEntries,
                        java.util.function.BooleanSupplier aggregate, int cacheSeconds,
                        String username, String password, MeterRegistry meters) {
        this.dataSource = dataSource;
        for (ListKind k : ListKind.values()) {
            renderLocks.put(k, new java.util.concurrent.locks.ReentrantLock());
        }
        this.maxEntries = maxEntries;
        this.aggregate = aggregate;
        this.cacheNanos = Math.max(0, cacheSeconds) * 1_000_000_000L;
        if (username != null && !username.isBlank()) {
            if (password == null || password.isBlank()) {
                throw new IllegalArgumentException("edl.username is set but edl.password is empty");
            }
            this.basicCredentials = "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        } else {
            this.basicCredentials = null;
        }
        requests = Counter.builder("activedefense.edl.requests").description("EDL requests answered").register(meters);
        notModified = Counter.builder("activedefense.edl.not.modified").description("EDL requests answered 304").register(meters);
        unauthorized = Counter.builder("activedefense.edl.unauthorized").description("EDL requests refused 401").register(meters);
        Gauge.builder("activedefense.blacklist.size", listedTotal, AtomicInteger::get)
                .description("Addresses on the blacklist (before the EDL cap)").register(meters);
        Gauge.builder("activedefense.edl.cap.reached", () -> listedTotal.get() > maxEntries.getAsInt() ? 1 : 0)
                .description("1 while the blacklist holds more addresses than edl.max-entries").register(meters);
    }

    /**
     * Marks rendered lists stale, so the next request reads the blacklist again. They are kept, not
     * dropped: if that read fails (database down) the last list is still what the firewall gets.
     */
    public void invalidate() {
        long stale = System.nanoTime() - cacheNanos - 1;
        cache.replaceAll((kind, r) -> new Rendered(r.body(), r.gzipped(), r.etag(), r.lastModified(), r.entries(), stale));
    }

    /**
     * Answers a request for {@code /files/<fileName>}.
     *
     * @param authorization the Authorization header, or null
     */
    public Response serve(String fileName, boolean head, String authorization, String ifNoneMatch,
                          String ifModifiedSince, String acceptEncoding) {
        if (basicCredentials != null && !constantTimeEquals(basicCredentials, authorization)) {
            unauthorized.increment();
            return new Response(401, Map.of("WWW-Authenticate", "Basic realm=\"ActiveDefense EDL\", charset=\"UTF-8\"",
                    "Content-Type", "text/plain; charset=utf-8"), "authentication required\n".getBytes(StandardCharsets.UTF_8));
        }
        ListKind kind = ListKind.byFileName(fileName);
        if (kind == null) {
            return new Response(404, Map.of("Content-Type", "text/plain; charset=utf-8"),
                    "no such list\n".getBytes(StandardCharsets.UTF_8));
        }
        Rendered list = current(kind);
        requests.increment();
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("ETag", list.etag());
        headers.put("Last-Modified", HTTP_DATE.format(list.lastModified().atZone(ZoneOffset.UTC)));
        headers.put("Cache-Control", "no-cache");
        headers.put("Vary", "Accept-Encoding");
        if (notModified(list, ifNoneMatch, ifModifiedSince)) {
            notModified.increment();
            return new Response(304, headers, new byte[0]);
        }
        byte[] body = list.body();
        if (acceptsGzip(acceptEncoding) && list.body().length > 0) {
            headers.put("Content-Encoding", "gzip");
            body = list.gzipped();
        }
        return new Response(200, headers, head ? new byte[0] : body);
    }

    private Rendered current(ListKind kind) {
        Rendered cached = cache.get(kind);
        if (cached != null && System.nanoTime() - cached.builtAtNanos() < cacheNanos) {
            return cached;
        }
        java.util.concurrent.locks.ReentrantLock lock = renderLocks.get(kind);
        if (cached != null && !lock.tryLock()) {
            // Another request is already rendering: answer with the previous list rather than pile up
            // (every request re-rendering at once on expiry stalled the HTTP workers, p99 ~1 s).
            return cached;
        }
        if (cached == null) {
            lock.lock();
        }
        try {
            Rendered latest = cache.get(kind);
            if (latest != null && latest != cached && System.nanoTime() - latest.builtAtNanos() < cacheNanos) {
                return latest; // rendered by the request we waited for
            }
            Rendered fresh = render(kind);
            cache.put(kind, fresh);
            return fresh;
        } catch (SQLException e) {
            if (cached != null) {
                LOG.warn("EDL {}: database unavailable ({}); serving the last list read", kind.fileName, e.getMessage());
                return cached;
            }
            throw new IllegalStateException("the blacklist cannot be read and no earlier list is known", e);
        } finally {
            lock.unlock();
        }
    }

    private Rendered render(ListKind kind) throws SQLException {
        int maxEntries = this.maxEntries.getAsInt();
        List<String> addresses = new ArrayList<>();
        Instant lastModified;
        int total;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT host(address) FROM blacklist WHERE " + kind.condition
                    + " ORDER BY last_seen DESC, address LIMIT ?")) {
                ps.setInt(1, maxEntries);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        addresses.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT (SELECT count(*) FROM blacklist),
                           greatest((SELECT max(updated_at) FROM blacklist),
                                    (SELECT max(removed_at) FROM blacklist_history))""");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getInt(1);
                Timestamp t = rs.getTimestamp(2);
                lastModified = (t == null ? startedAt : t.toInstant()).truncatedTo(ChronoUnit.SECONDS);
            }
        }
        listedTotal.set(total);
        if (kind == ListKind.ALL && total > maxEntries) {
            if (!capWarned) {
                LOG.warn("The blacklist holds {} addresses, more than edl.max-entries ({}): the EDL carries the {} most "
                        + "recently active", total, maxEntries, maxEntries);
                capWarned = true;
            }
        } else if (kind == ListKind.ALL) {
            capWarned = false;
        }
        List<String> lines = aggregate.getAsBoolean() ? CidrAggregation.aggregate(addresses) : addresses;
        StringBuilder text = new StringBuilder(lines.size() * 16);
        for (String line : lines) {
            text.append(line).append('\n');
        }
        byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);
        return new Rendered(body, gzip(body), etag(body), lastModified, lines.size(), System.nanoTime());
    }

    private static boolean notModified(Rendered list, String ifNoneMatch, String ifModifiedSince) {
        if (ifNoneMatch != null) {
            // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || t.equals(list.etag()) || t.equals("W/" + list.etag())) {
                    return true;
                }
            }
            return false;
        }
        if (ifModifiedSince != null) {
            try {
                Instant since = ZonedDateTime.parse(ifModifiedSince.trim(), HTTP_DATE).toInstant();
                return !list.lastModified().isAfter(since);
            } catch (DateTimeParseException e) {
                return false; // an invalid date is ignored (RFC 9110 13.1.3)
            }
        }
        return false;
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equalsIgnoreCase("gzip")) {
                return !(p.length > 1 && p[1].trim().replace(" ", "").matches("q=0(\\.0*)?"));
            }
        }
        return false;
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static boolean constantTimeEquals(String expected, String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
