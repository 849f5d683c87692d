package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Where the driver dials the gateway back: the gateway's in-cluster address (a Service, {@code SPARKGATE_LINK_URL})
 * and the session's path on it, never the address clients use.
 */
public record DriverLinkStep() implements DriverPodStep {

    public static final String LINK_ENV = "SPARKGATE_DRIVER_LINK";

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        return DriverPods.withDriver(pod, c -> c.addToEnv(DriverPods.env(LINK_ENV, session.link().toString())));
    }
}
