package org.activedefense.settings;

import javax.sql.DataSource;

import org.activedefense.ServiceContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Binds {@code settingsStore}: the settings changed in the console, over the properties' defaults. */
public final class SettingsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        ServiceContext service = ServiceContext.of(context);
        SettingsStore settings = new SettingsStore(service.require("dataSource", DataSource.class), service::text);
        settings.reload();
        service.bind("settingsStore", settings);
    }
}
