package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NamespaceStepTest {

    @Test
    void aSessionRunsInItsOwnNamespaceElseTheGatewaysDefault() {
        assertThat(NamespaceStep.namespaceFor(Map.of("spark.kubernetes.namespace", "team-a"), "default"))
                .isEqualTo("team-a");
        assertThat(NamespaceStep.namespaceFor(Map.of(), "spark-jobs")).isEqualTo("spark-jobs");
    }

    @Test
    void theNamespaceIsTheSessionsConf() {
        assertThat(new NamespaceStep().sparkConf(Sessions.one()))
                .containsExactly(Map.entry("spark.kubernetes.namespace", "spark-jobs"));
    }
}
