package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutorNamesStepTest {

    @Test
    void executorPodNamesSayTheGatewayAndTheSession() {
        assertThat(new ExecutorNamesStep("gw-1").sparkConf(Sessions.one()))
                .containsExactly(Map.entry("spark.kubernetes.executor.podNamePrefix", "sg-gw-1-s7"));
    }

    @Test
    void anInstanceNameIsMadeAShortDnsLabel() {
        String prefix = new ExecutorNamesStep("-Gateway_Pod.Example.COM-with-a-very-long-name")
                .sparkConf(Sessions.one()).get("spark.kubernetes.executor.podNamePrefix");

        assertThat(prefix).isEqualTo("sg-gateway-pod-example-com-s7").matches("[a-z0-9-]+");
    }
}
