package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/**
 * The session's secret reaches the driver as a file only its user reads (mode 0400, from the session's Secret),
 * never in the environment or the pod spec, where anyone who may read pods would see it.
 */
public record SessionSecretStep() implements DriverPodStep {

    /** The key of the secret in the session's Secret. */
    public static final String KEY = "secret";
    public static final String MOUNT_DIR = "/var/run/sparkgate/session";
    public static final String FILE_ENV = "SPARKGATE_SESSION_SECRET_FILE";
    public static final String VOLUME = "session-secret";
    static final int OWNER_READ_ONLY = 0400;

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        Pod withVolume = new PodBuilder(pod).editSpec().addNewVolume().withName(VOLUME).withNewSecret()
                .withSecretName(session.secretName()).withDefaultMode(OWNER_READ_ONLY)
                .addNewItem().withKey(KEY).withPath(KEY).withMode(OWNER_READ_ONLY).endItem()
                .endSecret().endVolume().endSpec().build();
        return DriverPods.withDriver(withVolume, c -> c
                .addNewVolumeMount().withName(VOLUME).withMountPath(MOUNT_DIR).withReadOnly(true).endVolumeMount()
                .addToEnv(DriverPods.env(FILE_ENV, MOUNT_DIR + "/" + KEY)));
    }
}
