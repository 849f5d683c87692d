package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.driver.DriverRuntimes;

import dev.sparkgate.protocol.Json;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Drivers as processes on this machine (the embedded default, and today's Kubernetes mode, where a local driver asks
 * the cluster for executor pods). Where executors go is the {@link ExecutorCluster}'s business: inside the driver
 * ({@code local[*]}) or on Kubernetes. Drivers are detached processes, so they outlive the gateway: each one's session
 * is recorded in the work directory ({@link LocalRecords}), where a restarted gateway finds it, with the next id.
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
        return new LocalDriver(this, sessionId, executors, chosen, null);
    }

    @Override
    public SessionIds sessionIds() {
        return records();
    }

    @Override
    public List<FoundDriver> findDrivers() {
        return records().read().stream().map(entry -> new FoundDriver(entry.id(), entry.session().toString(),
                secret(entry), Json.write(entry.driver()))).toList();
    }

    /**
     * The secret from the driver's 0600 file; a driver whose file is gone is gone too, and its session gets a secret
     * no one has (never an empty one, which an empty header would match).
     */
    private static String secret(LocalRecords.Entry entry) {
        try {
            return Files.readString(Path.of(entry.driver().secretFile())).strip();
        } catch (IOException | RuntimeException gone) {
            return UUID.randomUUID() + "-" + UUID.randomUUID();
        }
    }

    @Override
    public PlacedDriver reclaim(FoundDriver found, Map<String, String> conf) {
        return new LocalDriver(this, found.sessionId(), cluster.place(found.sessionId(), conf),
                conf.get(DriverRuntimes.CHOICE_CONF), Json.read(found.where(), LocalRecords.Where.class));
    }

    LocalRecords records() {
        return new LocalRecords(workDir);
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
