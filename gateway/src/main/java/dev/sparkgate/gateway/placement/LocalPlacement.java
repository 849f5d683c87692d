package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.driver.DriverRuntimes;

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
 * @param runtimes    the driver program and its Spark, one per Spark line
 * @param workDir     where each driver gets a working directory of its own
 * @param defaultHeap the driver JVM's heap when the session does not set {@code spark.driver.memory}
 * @param linkAddress the address session {@code id}'s driver dials back to
 * @param cluster     where executors run
 */
public record LocalPlacement(DriverRuntimes runtimes, Path workDir, String defaultHeap, IntFunction<URI> linkAddress,
                             ExecutorCluster cluster) implements DriverPlacement {

    @Override
    public PlacedDriver place(int sessionId, Map<String, String> conf) {
        ExecutorPlacement executors = cluster.place(sessionId, conf);
        // Executors on an image: the version check chooses the runtime of the image's Spark, before the launch.
        // Without one, the session's conf does, here, so a line this gateway lacks is refused before anything starts.
        String chosen = executors.image().isPresent() ? null
                : runtimes.chosenBy(conf.get(DriverRuntimes.CHOICE_CONF)).line();
        return new LocalDriver(this, sessionId, executors, chosen);
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
