package org.activedefense.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;

import javax.sql.DataSource;

import org.activedefense.ServiceContext;
import org.activedefense.db.Database;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds {@code clusterNode} and, with {@code cluster.enabled}, gives the quartz component its
 * schedule in PostgreSQL (Quartz's clustered JDBC job store), so each trigger fires on one node of
 * those sharing the database; without it, in memory, as a single node needs.
 */
public final class ClusterConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfiguration.class);
    /** Quartz worker threads: detection, two housekeeping jobs, and one spare. */
    private static final int QUARTZ_THREADS = 4;

    @Override
    public void configure(CamelContext context) {
        ServiceContext p = ServiceContext.of(context);
        ClusterNode node = p.bind("clusterNode", new ClusterNode(nodeName(p), p.bool("cluster.enabled")));
        if (!node.clustered()) {
            return;
        }
        DataSource dataSource = p.require("dataSource", DataSource.class);
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(new HashMap<>(QuartzCluster.schedulerProperties(dataSource,
                p.text("camel.main.name"), p.integer("cluster.checkin-interval-ms"), QUARTZ_THREADS)));
        // the scheduler name is the same on every node; no per-context prefix
        quartz.setPrefixInstanceName(false);
        context.addComponent("quartz", quartz);
        LOG.info("Cluster mode: Quartz schedules are shared through the database ({}); this node is '{}'",
                p.require("database", Database.class).jdbcUrl(), node.name());
    }

    private static String nodeName(ServiceContext p) {
        String configured = p.text("cluster.node-name");
        if (!configured.isEmpty()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + p.text("http.port");
    }
}
