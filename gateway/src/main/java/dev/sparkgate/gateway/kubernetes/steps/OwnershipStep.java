package dev.sparkgate.gateway.kubernetes.steps;

import java.util.Map;

/**
 * Executors owned by the gateway's pod go with it (Kubernetes' garbage collector deletes them). An owner in another
 * namespace makes Kubernetes delete them at once, so across namespaces they have none: the gateway still deletes
 * them by label.
 *
 * @param gatewayPod       the gateway's pod, or null outside a pod
 * @param gatewayNamespace the namespace of the gateway's pod, or null
 */
public record OwnershipStep(String gatewayPod, String gatewayNamespace) implements ExecutorConfStep {

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        if (gatewayPod == null || !session.namespace().equals(gatewayNamespace)) {
            return Map.of();
        }
        return Map.of("spark.kubernetes.driver.pod.name", gatewayPod);
    }
}
