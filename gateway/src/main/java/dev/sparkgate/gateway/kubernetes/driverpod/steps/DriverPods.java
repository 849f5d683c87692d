package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The driver pod every step starts from, and the few edits steps share. */
public final class DriverPods {

    /** The container that runs the driver; Spark's own driver pods name theirs the same. */
    public static final String DRIVER_CONTAINER = "spark-kubernetes-driver";

    private DriverPods() {
    }

    /**
     * The pod every step starts from: named for the session, run once (a session's driver is not restarted), with a
     * driver container. Without a template it holds only that container; with
     * {@code spark.kubernetes.driver.podTemplateFile} (which the conf policy leaves to operators) it is that pod, as
     * Spark starts its own driver pods from it: tolerations, affinity, sidecars and volumes come through, and the
     * container {@code spark.kubernetes.driver.podTemplateContainerName} names (else the first) is the driver's.
     */
    public static Pod base(DriverPodSession session) {
        String template = session.conf("spark.kubernetes.driver.podTemplateFile", null);
        Pod start = template == null ? new Pod() : readTemplate(Path.of(template));
        List<Container> containers = new ArrayList<>(start.getSpec() == null ? List.of() : start.getSpec().getContainers());
        String named = session.conf("spark.kubernetes.driver.podTemplateContainerName", null);
        int driver = named == null ? (containers.isEmpty() ? -1 : 0)
                : containers.stream().map(Container::getName).toList().indexOf(named);
        if (driver < 0) {
            containers.add(0, new ContainerBuilder().withName(DRIVER_CONTAINER).build());
        } else {
            containers.set(driver, new ContainerBuilder(containers.get(driver)).withName(DRIVER_CONTAINER).build());
        }
        return new PodBuilder(start)
                .editOrNewMetadata().withName(session.podName()).withNamespace(session.namespace()).endMetadata()
                .editOrNewSpec().withRestartPolicy("Never").withContainers(containers).endSpec().build();
    }

    private static Pod readTemplate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Serialization.unmarshal(in, Pod.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("spark.kubernetes.driver.podTemplateFile is " + file + ", which cannot "
                    + "be read as a pod (" + e.getMessage() + "): give a YAML or JSON Pod the gateway can read.", e);
        }
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
