package org.activedefense.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/** The dashboard in one answer: line rates, blacklist size, the last run, the firewalls, the engine. */
public final class DashboardApi {

    private final DataSource dataSource;
    private final DevicesApi devices;
    private final DetectionRunsApi runs;
    private final EngineControl engine;

    public DashboardApi(DataSource dataSource, DevicesApi devices, DetectionRunsApi runs, EngineControl engine) {
        this.dataSource = dataSource;
        this.devices = devices;
        this.runs = runs;
        this.engine = engine;
    }

    public Map<String, Object> summary() throws SQLException {
        Map<String, Object> d = new LinkedHashMap<>(devices.rates());
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM blacklist");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            d.put("blacklistSize", rs.getLong(1));
        }
        d.put("lastRun", runs.latest());
        List<Map<String, Object>> firewalls = new ArrayList<>();
        for (Map<String, Object> device : devices.list()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", device.get("name"));
            f.put("lastSeen", device.get("lastSeen"));
            f.put("silent", device.get("silent"));
            firewalls.add(f);
        }
        d.put("devices", firewalls);
        d.put("engine", Map.of("running", engine.state().get("running")));
        return d;
    }
}
