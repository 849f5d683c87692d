package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import java.util.List;

/**
 * Sparkgate's driver runtime (the driver jar, its few libraries, the Python REPL it carries) comes into the pod from
 * the Sparkgate image: an init container copies it into an emptyDir that the driver container mounts. The driver's
 * image stays the user's, untouched; only the runtime travels. It is the runtime of the session's Spark line (the
 * version check chose it from the image, conf {@code sparkgate.sparkVersion}): the image keeps the home's line in
 * {@link #IMAGE_RUNTIME} and every other line beside it, {@code /opt/sparkgate/driver-4.1}, as the gateway's own
 * distribution lays them out.
 *
 * @param sparkgateImage the Sparkgate image, whose {@link #IMAGE_RUNTIME} holds the driver runtime
 * @param homeLine       the Spark line of the runtime in {@link #IMAGE_RUNTIME} itself
 */
public record RuntimeCopyStep(String sparkgateImage, String homeLine) implements DriverPodStep {

    /** The conf that names the session's Spark line ({@code DriverRuntimes.CHOICE_CONF}). */
    static final String LINE_CONF = "sparkgate.sparkVersion";

    /** Where the Sparkgate image keeps the driver runtime (see deploy/Dockerfile). */
    public static final String IMAGE_RUNTIME = "/opt/sparkgate/driver";
    /** Where the driver container finds it. */
    public static final String RUNTIME_DIR = "/opt/sparkgate-runtime";
    static final String VOLUME = "sparkgate-runtime";
    static final String INIT_CONTAINER = "sparkgate-runtime";

    /** Where the Sparkgate image keeps the runtime of {@code line} (null: the home's). */
    String imageRuntime(String line) {
        return line == null || line.equals(homeLine) ? IMAGE_RUNTIME : IMAGE_RUNTIME + "-" + line;
    }

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        String source = imageRuntime(session.conf(LINE_CONF, null));
        Pod withRuntime = new PodBuilder(pod).editSpec()
                .addNewVolume().withName(VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
                .addNewInitContainer().withName(INIT_CONTAINER).withImage(sparkgateImage)
                .withImagePullPolicy("IfNotPresent")
                .withCommand(List.of("/bin/sh", "-c", "cp -R " + source + "/. " + RUNTIME_DIR + "/"))
                .addNewVolumeMount().withName(VOLUME).withMountPath(RUNTIME_DIR).endVolumeMount()
                .endInitContainer()
                .endSpec().build();
        return DriverPods.withDriver(withRuntime, c -> c.addNewVolumeMount().withName(VOLUME).withMountPath(RUNTIME_DIR)
                .withReadOnly(true).endVolumeMount());
    }
}
