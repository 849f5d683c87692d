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
 * @param pool        drivers started ahead of sessions ({@link WarmPool#none()} for none); executors inside the
 *                    driver only: on a cluster, executors' confs name their session, which a pooled driver has not
 */
public record LocalPlacement(DriverRuntimes runtimes, Path workDir, String defaultHeap, IntFunction<URI> linkAddress,
                             ExecutorCluster cluster, WarmPool pool) implements DriverPlacement {

    public LocalPlacement(DriverRuntimes runtimes, Path workDir, String defaultHeap, IntFunction<URI> linkAddress,
                          ExecutorCluster cluster) {
        this(runtimes, workDir, defaultHeap, linkAddress, cluster, WarmPool.none());
    }

    @Override
    public PlacedDriver place(int sessionId, Map<String, String> conf) {
        ExecutorPlacement executors = cluster.place(sessionId, conf);
        // Executors on an image: the version check chooses the runtime of the image's Spark, before the launch.
        // Without one, the session's conf does, here, so a line this gateway lacks is refused before anything starts.
        String chosen = executors.image().isPresent() ? null
                : runtimes.chosenBy(conf.get(DriverRuntimes.CHOICE_CONF)).line();
        PooledDriver pooled = null;
        if (chosen != null && cluster == ExecutorCluster.none()) {
            // The confs a driver starts with, as the session's driver would get them: a pooled one must have exactly
            // these (its runtime, heap, Python, jars, every conf read only when Spark starts).
            Map<String, String> startConf = new java.util.LinkedHashMap<>(conf);
            startConf.put(DriverRuntimes.CHOICE_CONF, chosen);
            pooled = pool.take(startConf).orElse(null);
        }
        return new LocalDriver(this, sessionId, executors, chosen, null, pooled);
    }

    @Override
    public void keepWarm(java.util.function.Predicate<Map<String, String>> room) {
        if (cluster == ExecutorCluster.none()) {
            pool.start(this, room);
        }
    }

    @Override
    public List<Map<String, String>> pooled() {
        return pool.held();
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
                conf.get(DriverRuntimes.CHOICE_CONF), Json.read(found.where(), LocalRecords.Where.class), null);
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
        pool.close();
        cluster.close();
    }
}
