package dev.sparkgate.gateway.kubernetes.steps;

import dev.sparkgate.gateway.errors.BadRequest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecutorImageStepTest {

    @Test
    void aSessionsOwnImageGoesBeforeTheOperatorsDefault() {
        assertThat(ExecutorImageStep.imageFor(Map.of("spark.kubernetes.container.image", "mine:1"), "default:1"))
                .isEqualTo("mine:1");
        assertThat(ExecutorImageStep.imageFor(Map.of(), "default:1")).isEqualTo("default:1");
    }

    @Test
    void withoutAnyImageTheSessionIsRefusedNamingBothWaysToGiveOne() {
        assertThatThrownBy(() -> ExecutorImageStep.imageFor(Map.of(), null)).isInstanceOf(BadRequest.class)
                .hasMessageContaining("spark.kubernetes.container.image").hasMessageContaining("SPARKGATE_EXECUTOR_IMAGE");
        assertThatThrownBy(() -> ExecutorImageStep.imageFor(Map.of("spark.kubernetes.container.image", " "), null))
                .isInstanceOf(BadRequest.class);
    }

    @Test
    void theImageIsTheSessionsConf() {
        assertThat(new ExecutorImageStep().sparkConf(Sessions.one()))
                .containsExactly(Map.entry("spark.kubernetes.container.image", "spark:3.5.6"));
    }
}
