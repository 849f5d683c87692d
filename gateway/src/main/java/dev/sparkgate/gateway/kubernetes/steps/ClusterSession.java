package dev.sparkgate.gateway.kubernetes.steps;

/**
 * What the conf steps know of one session placed on the cluster.
 *
 * @param sessionId        the session
 * @param namespace        where its executors run
 * @param image            the image they run
 * @param driverPort       the port executors dial its driver on
 * @param blockManagerPort the port of its driver's block manager
 */
public record ClusterSession(int sessionId, String namespace, String image, int driverPort, int blockManagerPort) {
}
