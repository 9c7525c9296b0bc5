package org.activedefense.notify;

import java.nio.file.Path;
import java.time.ZoneId;

import javax.sql.DataSource;

import org.activedefense.ServiceContext;
import org.activedefense.settings.SettingsStore;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Wires the notify flow: mail settings, the offender digest, the outbox and the device silence watch. */
public final class NotifyConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        ServiceContext p = ServiceContext.of(context);
        p.bind("mailSettings", new MailSettings(p.require("settingsStore", SettingsStore.class), context,
                p.integer("mail.smtp.timeout-ms")));
        String zone = p.text("mail.time-zone");
        p.bind("offenderDigest", new OffenderDigest(p.integer("mail.max-addresses-per-mail"),
                zone.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(zone)));
        p.bind("mailOutbox", new MailOutbox(Path.of(p.text("mail.outbox-dir"))));
        p.bind("deviceSilenceWatch", new DeviceSilenceWatch(p.require("dataSource", DataSource.class),
                p.integer("notify.device-silence-minutes")));
    }
}
