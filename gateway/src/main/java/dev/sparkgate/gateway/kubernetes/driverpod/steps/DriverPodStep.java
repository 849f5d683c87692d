package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * One concern of a session's driver pod (its image, its runtime, its secret, its identity, ...), as a change to the
 * pod built so far. Steps know nothing of each other, of the API server or of processes, so each is specified alone;
 * the placement applies them in order to {@link DriverPods#base} (Spark's {@code KubernetesFeatureConfigStep}s build
 * a driver pod the same way). Order matters in one place only: Kubernetes expands {@code $(VAR)} in an env value from
 * the variables defined before it, so the downward API's variables come before the session's spec.
 */
@FunctionalInterface
public interface DriverPodStep {

    /** The pod with this concern added; {@code pod} itself is left as it was. */
    Pod configure(Pod pod, DriverPodSession session);
}
