package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/**
 * The driver's own identity: a service account that may manage its executors and nothing more, whose token is the
 * only one the pod gets (the gateway's account is never a driver's). Its token is mounted, since the driver's
 * Spark asks the API server for executors with it.
 *
 * @param serviceAccount the drivers' service account ({@code SPARKGATE_DRIVER_SERVICE_ACCOUNT})
 */
public record DriverServiceAccountStep(String serviceAccount) implements DriverPodStep {

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        return new PodBuilder(pod).editSpec().withServiceAccountName(serviceAccount)
                .withAutomountServiceAccountToken(true).endSpec().build();
    }
}
