package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverPodSession;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverPodStep;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverPods;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The driver pod as the placement's steps build it together. */
class DriverPodStepsTest {

    private static Pod build(Map<String, String> env) {
        DriverPodSettings settings = DriverPodSettings.fromEnvironment(env);
        DriverPodSession session = new DriverPodSession(3, "team", "sg-gw-s3-driver", "sg-gw-s3-secret", "spark:3.5.6",
                Map.of("spark.driver.memory", "1g"), "{\"id\":3}", URI.create("ws://link:8998/driver/3"), "ada");
        Pod pod = DriverPods.base(session);
        for (DriverPodStep step : PodPlacement.steps(settings, List.of("-Dx=y"), "dev.sparkgate.driver.SessionDriver", "3.5", "gw")) {
            pod = step.configure(pod, session);
        }
        return pod;
    }

    @Test
    void theDriverGetsWhatItNeedsAndNothingOfTheGateways() {
        Pod pod = build(Map.of("SPARKGATE_IMAGE", "sparkgate/gateway:1", "SPARKGATE_TOKEN", "admin-token"));

        List<String> env = DriverPods.driver(pod).getEnv().stream().map(EnvVar::getName).toList();
        assertThat(env).containsExactly("SPARKGATE_DRIVER_PERMISSIONS", "SPARKGATE_SESSION_SECRET_FILE", "POD_IP", "POD_NAME", "POD_NAMESPACE",
                "SPARKGATE_DRIVER_LINK", "SPARKGATE_SESSION_SPEC");
        assertThat(pod.toString()).doesNotContain("admin-token");
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("sparkgate-driver");
        assertThat(pod.getMetadata().getOwnerReferences())
                .as("a driver pod is not owned by the gateway's pod: a gateway rollout must not delete sessions")
                .isEmpty();
        assertThat(pod.getSpec().getInitContainers()).singleElement()
                .satisfies(init -> assertThat(init.getImage()).isEqualTo("sparkgate/gateway:1"));
    }

    @Test
    void anOperatorMayNameTheDriversAccount() {
        Pod pod = build(Map.of("SPARKGATE_IMAGE", "sparkgate/gateway:1", "SPARKGATE_DRIVER_SERVICE_ACCOUNT", "team-driver"));

        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("team-driver");
    }
}
