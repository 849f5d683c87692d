package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OwnershipStepTest {

    @Test
    void executorsInTheGatewaysNamespaceAreOwnedByItsPod() {
        assertThat(new OwnershipStep("sparkgate-0", "spark-jobs").sparkConf(Sessions.one()))
                .containsExactly(Map.entry("spark.kubernetes.driver.pod.name", "sparkgate-0"));
    }

    @Test
    void executorsInAnotherNamespaceHaveNoOwnerForKubernetesWouldDeleteThemAtOnce() {
        assertThat(new OwnershipStep("sparkgate-0", "sparkgate").sparkConf(Sessions.one())).isEmpty();
    }

    @Test
    void outsideAPodExecutorsHaveNoOwner() {
        assertThat(new OwnershipStep(null, null).sparkConf(Sessions.one())).isEmpty();
    }
}
