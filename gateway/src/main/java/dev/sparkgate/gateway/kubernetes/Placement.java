package dev.sparkgate.gateway.kubernetes;

import java.util.Map;

/**
 * Where one session's driver and executors go on the cluster: the namespace, the driver's two ports, the Spark confs
 * that say so, and what the driver JVM's environment needs to reach the API server.
 */
public record Placement(int sessionId, String namespace, DriverPorts.Pair ports, Map<String, String> sparkConf,
                        Map<String, String> driverEnvironment) {
}
