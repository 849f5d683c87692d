package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutorServiceAccountStepTest {

    @Test
    void executorsRunAsTheOperatorsServiceAccount() {
        assertThat(new ExecutorServiceAccountStep("spark-executor").sparkConf(Sessions.one())).containsExactly(
                Map.entry("spark.kubernetes.authenticate.executor.serviceAccountName", "spark-executor"));
    }

    @Test
    void withoutOneTheNamespacesDefaultApplies() {
        assertThat(new ExecutorServiceAccountStep(null).sparkConf(Sessions.one())).isEmpty();
    }
}
