package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DriverServiceAccountStepTest {

    @Test
    void theDriverRunsAsTheDriversOwnAccountWhoseTokenIsMountedForSpark() {
        Pod pod = PodSessions.apply(new DriverServiceAccountStep("sparkgate-driver"), PodSessions.one());

        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("sparkgate-driver");
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isTrue();
    }
}
