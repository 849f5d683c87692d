package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import dev.sparkgate.gateway.kubernetes.RequiredPermission;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class DriverServiceAccountStepTest {

    @Test
    void theDriverRunsAsTheDriversOwnAccountWhoseTokenIsMountedForSpark() {
        Pod pod = PodSessions.apply(new DriverServiceAccountStep("sparkgate-driver", List.of(
                new RequiredPermission("", "pods", "", "create", "executors"),
                new RequiredPermission("", "pods", "log", "get", "logs"))), PodSessions.one());

        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("sparkgate-driver");
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isTrue();
        assertThat(PodSessions.env(pod)).as("what the driver checks of its account before Spark starts")
                .containsExactly(entry("SPARKGATE_DRIVER_PERMISSIONS", "create pods,get pods/log"));
    }

    @Test
    void aSessionPlacedByItsGroupRunsAsTheAccountItsPlacementNamed() {
        Pod pod = PodSessions.apply(new DriverServiceAccountStep("sparkgate-driver", List.of()), PodSessions.with(
                java.util.Map.of("spark.kubernetes.authenticate.driver.serviceAccountName", "spark-red")));

        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("spark-red");
    }
}
