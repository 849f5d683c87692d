package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeCopyStepTest {

    @Test
    void anInitContainerFromTheSparkgateImageCopiesTheRuntimeIntoAnEmptyDirTheDriverMountsReadOnly() {
        Pod pod = PodSessions.apply(new RuntimeCopyStep("sparkgate/gateway:0.1.0", "3.5"), PodSessions.one());

        assertThat(pod.getSpec().getVolumes()).singleElement().satisfies(volume -> {
            assertThat(volume.getName()).isEqualTo("sparkgate-runtime");
            assertThat(volume.getEmptyDir()).isNotNull();
        });
        Container init = pod.getSpec().getInitContainers().get(0);
        assertThat(init.getImage()).isEqualTo("sparkgate/gateway:0.1.0");
        assertThat(String.join(" ", init.getCommand())).endsWith("cp -R /opt/sparkgate/driver/. /opt/sparkgate-runtime/");
        assertThat(init.getVolumeMounts()).singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/opt/sparkgate-runtime"));
        assertThat(PodSessions.driver(pod).getVolumeMounts()).singleElement().satisfies(m -> {
            assertThat(m.getName()).isEqualTo("sparkgate-runtime");
            assertThat(m.getMountPath()).isEqualTo("/opt/sparkgate-runtime");
            assertThat(m.getReadOnly()).isTrue();
        });
    }

    @Test
    void aSessionOfAnotherSparkLineGetsThatLinesRuntimeFromBesideTheHome() {
        // given sessions whose version check chose 4.1, and the home's line, 3.5
        RuntimeCopyStep step = new RuntimeCopyStep("sparkgate/gateway:0.1.0", "3.5");

        Pod on41 = PodSessions.apply(step, PodSessions.with(java.util.Map.of("sparkgate.sparkVersion", "4.1")));
        Pod on35 = PodSessions.apply(step, PodSessions.with(java.util.Map.of("sparkgate.sparkVersion", "3.5")));

        assertThat(String.join(" ", on41.getSpec().getInitContainers().get(0).getCommand()))
                .endsWith("cp -R /opt/sparkgate/driver-4.1/. /opt/sparkgate-runtime/");
        assertThat(String.join(" ", on35.getSpec().getInitContainers().get(0).getCommand()))
                .endsWith("cp -R /opt/sparkgate/driver/. /opt/sparkgate-runtime/");
    }
}
