package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import java.util.List;

/**
 * Sparkgate's driver runtime (the driver jar, its few libraries, the Python REPL it carries) comes into the pod from
 * the Sparkgate image: an init container copies it into an emptyDir that the driver container mounts. The driver's
 * image stays the user's, untouched; only the runtime travels.
 *
 * @param sparkgateImage the Sparkgate image, whose {@link #IMAGE_RUNTIME} holds the driver runtime
 */
public record RuntimeCopyStep(String sparkgateImage) implements DriverPodStep {

    /** Where the Sparkgate image keeps the driver runtime (see deploy/Dockerfile). */
    public static final String IMAGE_RUNTIME = "/opt/sparkgate/driver";
    /** Where the driver container finds it. */
    public static final String RUNTIME_DIR = "/opt/sparkgate-runtime";
    static final String VOLUME = "sparkgate-runtime";
    static final String INIT_CONTAINER = "sparkgate-runtime";

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        Pod withRuntime = new PodBuilder(pod).editSpec()
                .addNewVolume().withName(VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
                .addNewInitContainer().withName(INIT_CONTAINER).withImage(sparkgateImage)
                .withImagePullPolicy("IfNotPresent")
                .withCommand(List.of("/bin/sh", "-c", "cp -R " + IMAGE_RUNTIME + "/. " + RUNTIME_DIR + "/"))
                .addNewVolumeMount().withName(VOLUME).withMountPath(RUNTIME_DIR).endVolumeMount()
                .endInitContainer()
                .endSpec().build();
        return DriverPods.withDriver(withRuntime, c -> c.addNewVolumeMount().withName(VOLUME).withMountPath(RUNTIME_DIR)
                .withReadOnly(true).endVolumeMount());
    }
}
