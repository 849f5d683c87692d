package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.driver.DriverRuntime;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Drivers as processes on this machine, the gateway's children (the embedded default, and today's Kubernetes mode,
 * where a local driver asks the cluster for executor pods). Where executors go is the {@link ExecutorCluster}'s
 * business: inside the driver ({@code local[*]}) or on Kubernetes.
 *
 * @param runtime     the driver program and its Spark
 * @param workDir     where each driver gets a working directory of its own
 * @param defaultHeap the driver JVM's heap when the session does not set {@code spark.driver.memory}
 * @param linkAddress the address session {@code id}'s driver dials back to
 * @param cluster     where executors run
 */
public record LocalPlacement(DriverRuntime runtime, Path workDir, String defaultHeap, IntFunction<URI> linkAddress,
                             ExecutorCluster cluster) implements DriverPlacement {

    @Override
    public PlacedDriver place(int sessionId, Map<String, String> conf) {
        return new LocalDriver(this, sessionId, cluster.place(sessionId, conf));
    }

    @Override
    public void reapOrphans(Set<Integer> liveSessions) {
        cluster.reapOrphans(liveSessions);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
