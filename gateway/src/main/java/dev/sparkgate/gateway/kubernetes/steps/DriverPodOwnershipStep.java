package dev.sparkgate.gateway.kubernetes.steps;

import java.util.Map;

/**
 * With drivers in pods of their own, executors are owned by their session's driver pod: Spark then puts an owner
 * reference to it on each executor, and Kubernetes' garbage collector removes them with it, whoever deletes it.
 *
 * @param instance this gateway's name, from which the driver pod's name follows
 */
public record DriverPodOwnershipStep(String instance) implements ExecutorConfStep {

    /** The name of session {@code sessionId}'s driver pod. */
    public static String podName(String instance, int sessionId) {
        return ExecutorNamesStep.prefix(instance, sessionId) + "-driver";
    }

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        return Map.of("spark.kubernetes.driver.pod.name", podName(instance, session.sessionId()));
    }
}
