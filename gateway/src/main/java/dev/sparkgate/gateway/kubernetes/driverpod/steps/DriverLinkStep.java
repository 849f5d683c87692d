package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where the driver dials the gateway back: the gateway's in-cluster address (a Service, {@code SPARKGATE_LINK_URL})
 * and the session's path on it, never the address clients use; and how long it dials and waits for a gateway to come
 * back ({@code timeouts}, the operator's {@code SPARKGATE_DRIVER_*_TIMEOUT}), so a pod's driver left alone past the
 * orphan timeout exits as a local one does.
 */
public record DriverLinkStep(Map<String, String> timeouts) implements DriverPodStep {

    public static final String LINK_ENV = "SPARKGATE_DRIVER_LINK";

    /** A driver with the driver program's own timeouts. */
    public DriverLinkStep() {
        this(Map.of());
    }

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        return DriverPods.withDriver(pod, c -> {
            c.addToEnv(DriverPods.env(LINK_ENV, session.link().toString()));
            new TreeMap<>(timeouts).forEach((name, value) -> c.addToEnv(DriverPods.env(name, value)));
            return c;
        });
    }
}
