package org.activedefense.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Notices firewalls that stopped sending (like Kiwi Syslog's timeout filter): one mail when a known
 * device has sent nothing for {@code notify.device-silence-minutes}, one more when it is heard again.
 */
public final class DeviceSilenceWatch {

    /** A device that went quiet or came back. */
    public record Change(String device, boolean silent, java.time.Instant lastSeen) {
    }

    private final DataSource dataSource;
    private final int silenceMinutes;

    public DeviceSilenceWatch(DataSource dataSource, int silenceMinutes) {
        if (silenceMinutes < 0) {
            throw new IllegalArgumentException("notify.device-silence-minutes must not be negative");
        }
        this.dataSource = dataSource;
        this.silenceMinutes = silenceMinutes;
    }

    /** Marks devices that went quiet or came back since the last check, and returns them. */
    public List<Change> check() throws SQLException {
        List<Change> changes = new ArrayList<>();
        if (silenceMinutes == 0) {
            return changes;
        }
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE device SET silence_alerted_at = now()
                    WHERE silence_alerted_at IS NULL AND last_seen < now() - make_interval(mins => ?)
                    RETURNING name, last_seen""")) {
                ps.setInt(1, silenceMinutes);
                read(ps, true, changes);
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE device SET silence_alerted_at = NULL
                    WHERE silence_alerted_at IS NOT NULL AND last_seen > silence_alerted_at
                    RETURNING name, last_seen""")) {
                read(ps, false, changes);
            }
        }
        return changes;
    }

    private static void read(PreparedStatement ps, boolean silent, List<Change> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(new Change(rs.getString(1), silent, rs.getTimestamp(2).toInstant()));
            }
        }
    }

    public String subject(List<Change> changes) {
        long quiet = changes.stream().filter(Change::silent).count();
        long back = changes.size() - quiet;
        if (back == 0) {
            return "[ActiveDefense] " + quiet + (quiet == 1 ? " firewall stopped" : " firewalls stopped") + " sending logs";
        }
        if (quiet == 0) {
            return "[ActiveDefense] " + back + (back == 1 ? " firewall is" : " firewalls are") + " sending logs again";
        }
        return "[ActiveDefense] firewall log senders changed: " + quiet + " quiet, " + back + " back";
    }

    public String body(List<Change> changes) {
        StringBuilder b = new StringBuilder();
        for (Change ch : changes) {
            b.append(OffenderDigest.clean(ch.device())).append(ch.silent()
                    ? ": no log line for " + silenceMinutes + " minutes or more; last line at "
                    : ": sending again; last line at ").append(ch.lastSeen()).append('\n');
        }
        if (changes.stream().anyMatch(Change::silent)) {
            b.append("\nWhile a firewall is silent, attackers it sees are not detected. Check its syslog server "
                    + "profile and log forwarding, and the network path to this service.\n");
        }
        return b.toString();
    }
}
