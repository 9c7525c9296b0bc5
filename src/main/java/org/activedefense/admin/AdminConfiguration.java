package org.activedefense.admin;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.activedefense.ServiceContext;
import org.activedefense.detect.DetectionEngine;
import org.activedefense.detect.DetectionSchedule;
import org.activedefense.notify.MailSettings;
import org.activedefense.parse.DeviceTimeZones;
import org.activedefense.publish.EdlPublisher;
import org.activedefense.settings.SettingsStore;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Wires the admin flow: accounts, sessions, login throttle and the access gate, the audit log, the
 * engine switch, and one handler bean per area of the API.
 */
public final class AdminConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        ServiceContext p = ServiceContext.of(context);
        DataSource ds = p.require("dataSource", DataSource.class);
        SettingsStore settings = p.require("settingsStore", SettingsStore.class);
        AdminAccounts accounts = new AdminAccounts(ds);
        accounts.ensureFirstAdmin(p.text("admin.username"), p.text("admin.password"));
        AuditLog audit = p.bind("auditLog", new AuditLog(ds));
        ConsoleSessions sessions = new ConsoleSessions(ds, Duration.ofMinutes(p.integer("admin.session.idle-minutes")),
                Duration.ofHours(p.integer("admin.session.max-hours")));
        LoginThrottle throttle = new LoginThrottle(p.integer("admin.login.max-failures"),
                Duration.ofMinutes(p.integer("admin.login.window-minutes")).toMillis(), System::currentTimeMillis);
        AdminGate gate = p.bind("adminGate", new AdminGate(accounts, sessions, throttle, audit));
        DetectionSchedule schedule = p.require("detectionSchedule", DetectionSchedule.class);
        EngineControl engine = p.bind("engineControl", new EngineControl(context,
                List.of("detect-attackers", "expire-blacklist", "drop-old-logs", "watch-device-silence"), schedule::apply));
        DetectionEngine detection = p.require("detectionEngine", DetectionEngine.class);
        EdlPublisher edl = p.require("edlPublisher", EdlPublisher.class);
        DevicesApi devices = p.bind("devicesApi", new DevicesApi(ds, p.require("deviceTimeZones", DeviceTimeZones.class),
                Duration.ofMinutes(p.integer("notify.device-silence-minutes")), audit));
        devices.reloadZones();
        DetectionRunsApi runs = p.bind("detectionRunsApi", new DetectionRunsApi(ds));

        p.bind("jsonResponses", new JsonResponses());
        p.bind("engineApi", new EngineApi(engine, audit));
        p.bind("accountApi", new AccountApi(accounts, sessions, gate, audit));
        p.bind("recordSearch", new RecordSearch(ds, p.integer("admin.export.max-rows")));
        p.bind("blacklistApi", new BlacklistApi(ds, detection, edl, audit));
        p.bind("allowlistApi", new AllowlistApi(ds, p.list("policy.allowlist"), audit));
        p.bind("dashboardApi", new DashboardApi(ds, devices, runs, engine));
        p.bind("settingsApi", new SettingsApi(settings, audit));
        p.bind("mailApi", new MailApi(p.require("mailSettings", MailSettings.class), context.createProducerTemplate(), audit));
    }
}
