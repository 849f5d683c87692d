package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class DriverLinkStepTest {

    @Test
    void theDriverDialsTheGatewaysInClusterAddressAtItsSessionsPath() {
        Pod pod = PodSessions.apply(new DriverLinkStep(), PodSessions.one());

        assertThat(PodSessions.env(pod)).containsExactly(
                entry("SPARKGATE_DRIVER_LINK", "ws://sparkgate-link.sparkgate.svc:8998/driver/7"));
    }

    @Test
    void theDriverWaitsForAGatewayAsLongAsTheOperatorSet() {
        Pod pod = PodSessions.apply(new DriverLinkStep(java.util.Map.of("SPARKGATE_DRIVER_ORPHAN_TIMEOUT", "5s",
                "SPARKGATE_DRIVER_CONNECT_TIMEOUT", "30s")), PodSessions.one());

        assertThat(PodSessions.env(pod)).containsExactly(
                entry("SPARKGATE_DRIVER_LINK", "ws://sparkgate-link.sparkgate.svc:8998/driver/7"),
                entry("SPARKGATE_DRIVER_CONNECT_TIMEOUT", "30s"),
                entry("SPARKGATE_DRIVER_ORPHAN_TIMEOUT", "5s"));
    }
}
