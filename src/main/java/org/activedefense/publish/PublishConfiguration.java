package org.activedefense.publish;

import javax.sql.DataSource;

import org.activedefense.ServiceContext;
import org.activedefense.settings.SettingsStore;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Wires the publish flow: the EDL renderer and cache ({@code edlPublisher}) and its HTTP answer ({@code edlHttp}). */
public final class PublishConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        ServiceContext p = ServiceContext.of(context);
        SettingsStore settings = p.require("settingsStore", SettingsStore.class);
        EdlPublisher edl = p.bind("edlPublisher", new EdlPublisher(p.require("dataSource", DataSource.class),
                () -> settings.integer("edl.max-entries"), () -> settings.bool("edl.aggregate-cidrs"),
                p.integer("edl.cache-seconds"), p.text("edl.username"), p.text("edl.password"), p.meters()));
        settings.addListener(keys -> {
            if (keys.stream().anyMatch(k -> k.startsWith("edl."))) {
                edl.invalidate();
            }
        });
        p.bind("edlHttp", new EdlHttp(edl));
    }
}
