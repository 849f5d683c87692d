package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class DownwardApiStepTest {

    @Test
    void theDriverKnowsItsPodsAddressNameAndNamespaceFromTheDownwardApi() {
        Pod pod = PodSessions.apply(new DownwardApiStep(), PodSessions.one());

        assertThat(PodSessions.env(pod)).containsExactly(entry("POD_IP", "field:status.podIP"),
                entry("POD_NAME", "field:metadata.name"), entry("POD_NAMESPACE", "field:metadata.namespace"));
    }
}
