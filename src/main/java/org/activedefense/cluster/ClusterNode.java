package org.activedefense.cluster;

/**
 * This node as the cluster knows it.
 *
 * @param name      recorded in {@code detection_run.node}: {@code cluster.node-name}, or host name and HTTP port
 * @param clustered whether the schedules are shared with other nodes ({@code cluster.enabled})
 */
public record ClusterNode(String name, boolean clustered) {
}
