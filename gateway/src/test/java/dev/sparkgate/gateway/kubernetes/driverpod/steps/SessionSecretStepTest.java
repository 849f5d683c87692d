package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionSecretStepTest {

    @Test
    void theSecretIsAFileOnlyItsOwnerReadsAndTheEnvironmentNamesTheFileNotTheSecret() {
        Pod pod = PodSessions.apply(new SessionSecretStep(), PodSessions.one());

        assertThat(pod.getSpec().getVolumes()).singleElement().satisfies(volume -> {
            assertThat(volume.getSecret().getSecretName()).isEqualTo("sg-gw-s7-secret");
            assertThat(volume.getSecret().getDefaultMode()).isEqualTo(0400);
            assertThat(volume.getSecret().getItems()).singleElement().satisfies(item -> {
                assertThat(item.getKey()).isEqualTo("secret");
                assertThat(item.getMode()).isEqualTo(0400);
            });
        });
        assertThat(PodSessions.driver(pod).getVolumeMounts()).singleElement().satisfies(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/var/run/sparkgate/session");
            assertThat(mount.getReadOnly()).isTrue();
        });
        assertThat(PodSessions.env(pod)).containsExactlyEntriesOf(java.util.Map.of(
                "SPARKGATE_SESSION_SECRET_FILE", "/var/run/sparkgate/session/secret"));
    }
}
