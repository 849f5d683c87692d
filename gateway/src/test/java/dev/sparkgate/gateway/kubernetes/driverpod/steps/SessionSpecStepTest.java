package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class SessionSpecStepTest {

    @Test
    void theSpecIsInTheEnvironmentWithThePodsAddressLeftForKubernetesToFillIn() {
        Pod pod = PodSessions.apply(new SessionSpecStep(), PodSessions.one());

        assertThat(PodSessions.env(pod)).containsExactly(entry("SPARKGATE_SESSION_SPEC",
                "{\"id\":7,\"sparkConf\":{\"spark.driver.host\":\"$(POD_IP)\"}}"));
    }

    @Test
    void afterTheDownwardApiSinceKubernetesExpandsOnlyVariablesDefinedEarlier() {
        DriverPodSession session = PodSessions.one();
        Pod pod = new SessionSpecStep().configure(new DownwardApiStep().configure(DriverPods.base(session), session), session);

        List<String> names = List.copyOf(PodSessions.env(pod).keySet());
        assertThat(names.indexOf("POD_IP")).isLessThan(names.indexOf("SPARKGATE_SESSION_SPEC"));
    }
}
