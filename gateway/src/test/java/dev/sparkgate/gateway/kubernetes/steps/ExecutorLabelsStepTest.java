package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutorLabelsStepTest {

    @Test
    void executorPodsAreLabelledWithTheGatewayAndTheSession() {
        assertThat(new ExecutorLabelsStep("gw-1").sparkConf(Sessions.one())).containsExactly(
                Map.entry("spark.kubernetes.executor.label.sparkgate.dev/gateway", "gw-1"),
                Map.entry("spark.kubernetes.executor.label.sparkgate.dev/session", "7"));
    }

    @Test
    void theLabelsAreTheOnesTheGatewayFindsExecutorsBy() {
        assertThat(ExecutorLabelsStep.labels("gw-1", 7)).containsExactly(
                Map.entry(ExecutorLabelsStep.GATEWAY_LABEL, "gw-1"), Map.entry(ExecutorLabelsStep.SESSION_LABEL, "7"));
    }
}
