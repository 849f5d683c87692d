package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriverPodOwnershipStepTest {

    @Test
    void executorsAreOwnedByTheirSessionsDriverPodNamedLikeThem() {
        assertThat(new DriverPodOwnershipStep("Gateway_A").sparkConf(Sessions.one()))
                .containsExactly(Map.entry("spark.kubernetes.driver.pod.name", "sg-gateway-a-s7-driver"));
    }
}
