package org.activedefense.db;

import org.activedefense.ServiceContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Opens the database (embedded PostgreSQL, or the server {@code db.url} names), migrated, and binds
 * it as {@code database} and {@code dataSource}. Configured first: it stops last, after every flow
 * that writes to it.
 */
public final class DatabaseConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        ServiceContext service = ServiceContext.of(context);
        Database database = Database.open(new DatabaseSettings(
                service.text("db.url"),
                service.text("db.user"),
                service.text("db.password"),
                service.integer("db.pool-size"),
                service.text("db.embedded.data-dir"),
                service.integer("db.embedded.port"),
                service.text("db.embedded.shared-buffers"),
                service.integer("db.connection-timeout-ms")));
        service.onStartAndStop("database", () -> { }, database::close);
        service.bind("dataSource", database.dataSource());
        service.bind("database", database);
    }
}
