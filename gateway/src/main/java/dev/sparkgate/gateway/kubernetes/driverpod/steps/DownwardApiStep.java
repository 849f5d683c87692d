package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The pod's own address, name and namespace, from the downward API: executors dial the driver at its pod IP, and
 * later env values refer to them as {@code $(POD_IP)}.
 */
public record DownwardApiStep() implements DriverPodStep {

    public static final String POD_IP = "POD_IP";

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        return DriverPods.withDriver(pod, c -> c
                .addToEnv(DriverPods.fieldEnv(POD_IP, "status.podIP"))
                .addToEnv(DriverPods.fieldEnv("POD_NAME", "metadata.name"))
                .addToEnv(DriverPods.fieldEnv("POD_NAMESPACE", "metadata.namespace")));
    }
}
