package dev.sparkgate.gateway.placement;

import dev.sparkgate.protocol.VersionVerdict.ImageSide;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where sessions' executors run: a cluster (Kubernetes), or {@link #none() none}, when they run inside the driver
 * ({@code local[*]}). Never null: "no cluster" is this interface's own answer to every question.
 */
public interface ExecutorCluster extends AutoCloseable {

    /** The embedded default: executors inside each driver, nothing to place, watch, probe or clean up. */
    static ExecutorCluster none() {
        return NoCluster.INSTANCE;
    }

    /** Places session {@code sessionId}'s executors, given its confs so far; refuses with a typed error. */
    ExecutorPlacement place(int sessionId, Map<String, String> conf);

    /** Where sessions' executors run unless they say otherwise. */
    String defaultNamespace();

    /** Learns an image's Spark and Python by running it. */
    ImageSide probeImage(String image, String namespace, List<String> pullSecrets);

    /**
     * Why the cluster cannot take executors now (its API unreachable, say), for the gateway's readiness; empty when
     * it can, and always for {@link #none()}.
     */
    default java.util.Optional<String> unavailable() {
        return java.util.Optional.empty();
    }

    /** Removes executors of this gateway whose session is not among {@code liveSessions}. */
    void reapOrphans(Set<Integer> liveSessions);

    @Override
    void close();
}
