package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The session as the driver runs it (kind, confs, Python), in the environment, as local drivers get it. It holds
 * {@code $(POD_IP)} where the driver's address goes, which Kubernetes fills in; so it must come after
 * {@link DownwardApiStep}.
 */
public record SessionSpecStep() implements DriverPodStep {

    public static final String SPEC_ENV = "SPARKGATE_SESSION_SPEC";

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        return DriverPods.withDriver(pod, c -> c.addToEnv(DriverPods.env(SPEC_ENV, session.specJson())));
    }
}
