package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import java.util.Arrays;
import java.util.List;

/**
 * The image the driver runs: the session's executor image, so driver and executors share Spark, Python and Java by
 * construction, with the image's pull policy and pull secrets as the executors get them.
 */
public record DriverImageStep() implements DriverPodStep {

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        String policy = session.conf("spark.kubernetes.container.image.pullPolicy", "IfNotPresent");
        List<LocalObjectReference> pullSecrets = Arrays.stream(
                        session.conf("spark.kubernetes.container.image.pullSecrets", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(LocalObjectReference::new).toList();
        Pod withImage = DriverPods.withDriver(pod, c -> c.withImage(session.image()).withImagePullPolicy(policy));
        return pullSecrets.isEmpty() ? withImage
                : new PodBuilder(withImage).editSpec().addAllToImagePullSecrets(pullSecrets).endSpec().build();
    }
}
