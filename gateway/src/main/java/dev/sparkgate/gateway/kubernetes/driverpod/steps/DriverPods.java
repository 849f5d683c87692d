package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import java.util.List;
import java.util.function.UnaryOperator;

/** The driver pod every step starts from, and the few edits steps share. */
public final class DriverPods {

    /** The container that runs the driver; Spark's own driver pods name theirs the same. */
    public static final String DRIVER_CONTAINER = "spark-kubernetes-driver";

    private DriverPods() {
    }

    /** A pod named for the session with one empty driver container, run once: a session's driver is not restarted. */
    public static Pod base(DriverPodSession session) {
        return new PodBuilder()
                .withNewMetadata().withName(session.podName()).withNamespace(session.namespace()).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName(DRIVER_CONTAINER).endContainer()
                .endSpec().build();
    }

    /** The driver container of {@code pod}. */
    public static Container driver(Pod pod) {
        return pod.getSpec().getContainers().stream().filter(c -> DRIVER_CONTAINER.equals(c.getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("pod " + pod.getMetadata().getName() + " has no "
                        + DRIVER_CONTAINER + " container"));
    }

    /** {@code pod} with its driver container changed by {@code edit}. */
    public static Pod withDriver(Pod pod, UnaryOperator<ContainerBuilder> edit) {
        Container changed = edit.apply(new ContainerBuilder(driver(pod))).build();
        List<Container> containers = pod.getSpec().getContainers().stream()
                .map(c -> DRIVER_CONTAINER.equals(c.getName()) ? changed : c).toList();
        return new PodBuilder(pod).editSpec().withContainers(containers).endSpec().build();
    }

    /** An env variable with a plain value. */
    public static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    /** An env variable from one of the pod's own fields (the downward API). */
    public static EnvVar fieldEnv(String name, String fieldPath) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(fieldPath)
                .endFieldRef().endValueFrom().build();
    }
}
