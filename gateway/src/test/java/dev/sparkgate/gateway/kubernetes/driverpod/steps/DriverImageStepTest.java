package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriverImageStepTest {

    @Test
    void theDriverRunsTheSessionsImageWithItsPullPolicyAndSecrets() {
        Pod pod = PodSessions.apply(new DriverImageStep(), PodSessions.with(Map.of(
                "spark.kubernetes.container.image.pullPolicy", "Always",
                "spark.kubernetes.container.image.pullSecrets", "team-registry, other")));

        assertThat(PodSessions.driver(pod).getImage()).isEqualTo("spark:3.5.6");
        assertThat(PodSessions.driver(pod).getImagePullPolicy()).isEqualTo("Always");
        assertThat(pod.getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName)
                .containsExactly("team-registry", "other");
    }

    @Test
    void withoutConfsTheImageIsPulledIfNotPresentWithNoSecrets() {
        Pod pod = PodSessions.apply(new DriverImageStep(), PodSessions.one());

        assertThat(PodSessions.driver(pod).getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(pod.getSpec().getImagePullSecrets()).isEmpty();
    }
}
