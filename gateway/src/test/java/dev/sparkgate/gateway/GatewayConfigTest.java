package dev.sparkgate.gateway;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a stopped gateway does with its sessions, as the operator's settings say. */
class GatewayConfigTest {

    @Test
    void aStopLeavesSessionsRunningByDefaultOnlyWithDriversInPods() {
        // given no SPARKGATE_KEEP_SESSIONS_ON_STOP, then: a laptop's Ctrl-C stops its sessions, a rollout does not
        assertThat(GatewayConfig.keepSessions(Map.of())).as("local placement").isFalse();
        assertThat(GatewayConfig.keepSessions(Map.of("SPARKGATE_PLACEMENT", "pod"))).as("pod placement").isTrue();
        assertThat(GatewayConfig.keepSessions(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")))
                .as("a gateway in a pod, placing drivers in pods by default").isTrue();
    }

    @Test
    void theOperatorsChoiceWinsAndANonsenseValueIsRefusedWithTheFix() {
        assertThat(GatewayConfig.keepSessions(Map.of("SPARKGATE_PLACEMENT", "pod",
                "SPARKGATE_KEEP_SESSIONS_ON_STOP", "false"))).isFalse();
        assertThat(GatewayConfig.keepSessions(Map.of("SPARKGATE_KEEP_SESSIONS_ON_STOP", "true"))).isTrue();
        assertThatThrownBy(() -> GatewayConfig.keepSessions(Map.of("SPARKGATE_KEEP_SESSIONS_ON_STOP", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use true");
    }
}
