package org.activedefense.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Settings of Quartz's clustered JDBC job store on the service's own PostgreSQL, so that several
 * nodes sharing one database run each scheduled trigger (detection, housekeeping) once.
 *
 * <p>Quartz reaches the database through the service's pool (a {@link ConnectionProvider}
 * registered under a name of its own), and its tables come from the V6 migration. Every node of a
 * cluster needs the same {@code camel.main.name} (the scheduler name and the Camel context the
 * jobs look up) and the quartz endpoints keep their jobs on stop ({@code deleteJob=false}), or the
 * first node to stop would delete the others' schedule.
 */
public final class QuartzCluster {

    private QuartzCluster() {
    }

    /**
     * Registers the pool with Quartz and returns the scheduler properties.
     *
     * @param schedulerName          same on every node ({@code camel.main.name})
     * @param checkinIntervalMs      how often a node tells the others it is alive; a node silent for
     *                               about this long (plus a margin) is taken as dead and its fired
     *                               triggers are recovered by the others
     */
    public static Properties schedulerProperties(DataSource dataSource, String schedulerName, long checkinIntervalMs,
                                                 int threads) {
        // Quartz's connection registry is JVM-wide; a name per pool keeps two services in one JVM apart.
        String providerName = "active-defense-" + Integer.toHexString(System.identityHashCode(dataSource));
        DBConnectionManager.getInstance().addConnectionProvider(providerName, new PooledConnections(dataSource));
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", schedulerName);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", providerName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinIntervalMs));
        // Misfires (a fire missed while no node was up) run once at once rather than all at once.
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        return p;
    }

    /** Hands Quartz connections of the service's pool. */
    private record PooledConnections(DataSource dataSource) implements ConnectionProvider {

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to the service, which closes it after Camel has stopped
        }

        @Override
        public void initialize() {
            // nothing to set up: the pool exists already
        }
    }
}
