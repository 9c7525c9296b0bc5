package org.activedefense.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import org.apache.camel.Message;

/**
 * Searches the syslog records with the console's filters, newest first, a page at a time; and
 * exports a whole filtered search as CSV, streamed from a database cursor so a million rows cost
 * no more heap than a hundred.
 */
public final class RecordSearch {

    /** The columns, in answer and CSV order: JSON name, SQL expression, kind. */
    private record Column(String name, String sql, char kind) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("receivedAt", "received_at", 't'),
            new Column("generatedAt", "generated_at", 't'),
            new Column("device", "device", 's'),
            new Column("sender", "host(sender)", 's'),
            new Column("type", "log_type", 's'),
            new Column("subtype", "subtype", 's'),
            new Column("src", "host(src_ip)", 's'),
            new Column("srcPort", "src_port", 'i'),
            new Column("dst", "host(dst_ip)", 's'),
            new Column("dstPort", "dst_port", 'i'),
            new Column("srcCountry", "src_location", 's'),
            new Column("dstCountry", "dst_location", 's'),
            new Column("srcUser", "src_user", 's'),
            new Column("srcZone", "src_zone", 's'),
            new Column("dstZone", "dst_zone", 's'),
            new Column("rule", "rule_name", 's'),
            new Column("action", "action", 's'),
            new Column("protocol", "protocol", 's'),
            new Column("application", "application", 's'),
            new Column("threatName", "threat_name", 's'),
            new Column("threatId", "threat_id", 'l'),
            new Column("severity", "severity", 's'),
            new Column("eventId", "event_id", 's'),
            new Column("object", "object", 's'),
            new Column("status", "status", 's'),
            new Column("authMethod", "auth_method", 's'),
            new Column("stage", "stage", 's'),
            new Column("reason", "reason", 's'),
            new Column("tagName", "tag_name", 's'),
            new Column("timeoutSeconds", "timeout_seconds", 'i'),
            new Column("description", "description", 's'));

    /** Text filters: query parameter and the column it must equal. */
    private static final Map<String, String> EQUALS = Map.ofEntries(
            Map.entry("eventId", "event_id"),
            Map.entry("status", "status"),
            Map.entry("device", "device"),
            Map.entry("srcCountry", "src_location"),
            Map.entry("dstCountry", "dst_location"),
            Map.entry("srcUser", "src_user"),
            Map.entry("type", "log_type"),
            Map.entry("subtype", "subtype"),
            Map.entry("action", "action"),
            Map.entry("rule", "rule_name"),
            Map.entry("severity", "severity"));

    private static final String SELECT;

    static {
        StringBuilder s = new StringBuilder("SELECT ");
        for (int i = 0; i < COLUMNS.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(COLUMNS.get(i).sql());
        }
        SELECT = s.append(" FROM firewall_log").toString();
    }

    /** A search: its WHERE clause and parameters. */
    record Filter(String where, List<Object> params) {
    }

    private final DataSource dataSource;
    private final int exportMaxRows;

    public RecordSearch(DataSource dataSource, int exportMaxRows) {
        this.dataSource = dataSource;
        this.exportMaxRows = exportMaxRows;
    }

    /** {@code GET /api/records}: one page. */
    public Map<String, Object> page(Message message) throws SQLException {
        Filter filter = filter(message);
        Integer limitParam = QueryParameters.integer(message, "limit", 1, 1000);
        Integer offsetParam = QueryParameters.integer(message, "offset", 0, 10_000_000);
        int limit = limitParam == null ? 100 : limitParam;
        int offset = offsetParam == null ? 0 : offsetParam;
        List<Map<String, Object>> records = new ArrayList<>();
        boolean more = false;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     SELECT + filter.where() + " ORDER BY received_at DESC LIMIT ? OFFSET ?")) {
            int i = bind(ps, filter.params());
            ps.setInt(i++, limit + 1);
            ps.setInt(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (records.size() == limit) {
                        more = true;
                        break;
                    }
                    Map<String, Object> r = new LinkedHashMap<>();
                    for (int col = 0; col < COLUMNS.size(); col++) {
                        r.put(COLUMNS.get(col).name(), value(rs, col + 1, COLUMNS.get(col).kind()));
                    }
                    records.add(r);
                }
            }
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("records", records);
        page.put("limit", limit);
        page.put("offset", offset);
        page.put("hasMore", more);
        return page;
    }

    /** {@code GET /api/records/export.csv}: the whole search as a CSV download. */
    public Answer export(Message message) throws SQLException {
        Filter filter = filter(message);
        Connection c = dataSource.getConnection();
        try {
            // A cursor needs a transaction; the fetch size keeps only a batch of rows in memory.
            c.setAutoCommit(false);
            c.setReadOnly(true);
            PreparedStatement ps = c.prepareStatement(SELECT + filter.where() + " ORDER BY received_at DESC LIMIT ?");
            ps.setFetchSize(1000);
            int i = bind(ps, filter.params());
            ps.setInt(i, exportMaxRows);
            ResultSet rs = ps.executeQuery();
            return Answer.download(new CsvStream(c, rs), "text/csv; charset=utf-8", "records.csv");
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Builds the WHERE clause of the request's filters; every value is a bound parameter. */
    static Filter filter(Message message) {
        StringBuilder where = new StringBuilder(" WHERE received_at >= ? AND received_at < ?");
        List<Object> params = new ArrayList<>();
        Instant to = QueryParameters.instant(message, "to");
        Instant from = QueryParameters.instant(message, "from");
        String range = QueryParameters.text(message, "range");
        if (to == null) {
            to = Instant.now().plusSeconds(60);
        }
        if (from == null) {
            Duration span = switch (range == null ? "24h" : range) {
                case "1h" -> Duration.ofHours(1);
                case "24h" -> Duration.ofHours(24);
                case "7d" -> Duration.ofDays(7);
                default -> throw new FieldException("range", "range must be 1h, 24h or 7d (or give from and to)");
            };
            from = to.minus(span);
        } else if (range != null) {
            throw new FieldException("range", "give either range or from/to, not both");
        }
        if (!from.isBefore(to)) {
            throw new FieldException("from", "from must be before to");
        }
        params.add(Timestamp.from(from));
        params.add(Timestamp.from(to));
        for (Map.Entry<String, String> e : EQUALS.entrySet()) {
            String value = QueryParameters.text(message, e.getKey());
            if (value != null) {
                where.append(" AND ").append(e.getValue()).append(" = ?");
                params.add(value);
            }
        }
        addNetwork(message, "src", "src_ip", where, params);
        addNetwork(message, "dst", "dst_ip", where, params);
        addPort(message, "sport", "src_port", where, params);
        addPort(message, "dport", "dst_port", where, params);
        return new Filter(where.toString(), params);
    }

    private static void addNetwork(Message message, String name, String column, StringBuilder where, List<Object> params) {
        String value = QueryParameters.text(message, name);
        if (value != null) {
            String network = QueryParameters.network(name, value);
            // One address uses the B-tree by equality; a CIDR by containment, which PostgreSQL also
            // turns into an index range.
            where.append(" AND ").append(column).append(network.contains("/") ? " <<= CAST(? AS inet)" : " = CAST(? AS inet)");
            params.add(network);
        }
    }

    private static void addPort(Message message, String name, String column, StringBuilder where, List<Object> params) {
        Integer port = QueryParameters.integer(message, name, 0, 65535);
        if (port != null) {
            where.append(" AND ").append(column).append(" = ?");
            params.add(port);
        }
    }

    private static int bind(PreparedStatement ps, List<Object> params) throws SQLException {
        int i = 1;
        for (Object p : params) {
            ps.setObject(i++, p);
        }
        return i;
    }

    private static Object value(ResultSet rs, int col, char kind) throws SQLException {
        switch (kind) {
            case 't' -> {
                Timestamp t = rs.getTimestamp(col);
                return t == null ? null : t.toInstant();
            }
            case 'i' -> {
                int v = rs.getInt(col);
                return rs.wasNull() ? null : v;
            }
            case 'l' -> {
                long v = rs.getLong(col);
                return rs.wasNull() ? null : v;
            }
            default -> {
                return rs.getString(col);
            }
        }
    }

    /**
     * A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before them) as a formula;
     * such cells get a leading apostrophe, the OWASP-recommended neutralisation.
     */
    static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        char first = cell.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + cell : cell;
    }

    /** Pulls rows from the cursor as the HTTP response asks for bytes; closes the connection at the end. */
    static final class CsvStream extends InputStream {

        private static final int ROWS_PER_CHUNK = 500;

        private final Connection connection;
        private final ResultSet rs;
        private byte[] chunk;
        private int position;
        private boolean headerWritten;
        private boolean done;

        CsvStream(Connection connection, ResultSet rs) {
            this.connection = connection;
            this.rs = rs;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (chunk == null || position >= chunk.length) {
                if (done) {
                    return -1;
                }
                fill();
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            return n;
        }

        private void fill() throws IOException {
            StringWriter out = new StringWriter(64 * 1024);
            try (CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out)) {
                if (!headerWritten) {
                    List<String> header = new ArrayList<>();
                    COLUMNS.forEach(col -> header.add(col.name()));
                    csv.writeRecord(header);
                    headerWritten = true;
                }
                String[] cells = new String[COLUMNS.size()];
                int rows = 0;
                while (rows < ROWS_PER_CHUNK) {
                    if (!rs.next()) {
                        done = true;
                        close();
                        break;
                    }
                    for (int col = 0; col < cells.length; col++) {
                        Object v = value(rs, col + 1, COLUMNS.get(col).kind());
                        cells[col] = v == null ? "" : neutralise(v.toString());
                    }
                    csv.writeRecord(cells);
                    rows++;
                }
            } catch (SQLException e) {
                close();
                throw new IOException("the export stopped: " + e.getMessage(), e);
            }
            chunk = out.toString().getBytes(StandardCharsets.UTF_8);
            position = 0;
        }

        @Override
        public void close() {
            done = true;
            try {
                if (!connection.isClosed()) {
                    connection.rollback();
                    connection.close();
                }
            } catch (SQLException e) {
                // the connection is gone either way
            }
        }
    }
}
