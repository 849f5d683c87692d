package dev.sparkgate.gateway.kubernetes.steps;

import java.util.Map;

/**
 * One concern of putting a session's executors on Kubernetes, as the Spark confs (and driver environment) it sets.
 * Steps know nothing of each other, of the API server or of processes, so each is specified alone; the cluster
 * applies them in order (Spark's own {@code KubernetesFeatureConfigStep}s build a pod spec the same way).
 */
public interface ExecutorConfStep {

    /** The Spark confs this concern sets for {@code session}. */
    Map<String, String> sparkConf(ClusterSession session);

    /** What the driver's environment needs for this concern; most need nothing. */
    default Map<String, String> driverEnvironment(ClusterSession session) {
        return Map.of();
    }
}
