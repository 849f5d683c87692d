package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeCopyStepTest {

    @Test
    void anInitContainerFromTheSparkgateImageCopiesTheRuntimeIntoAnEmptyDirTheDriverMountsReadOnly() {
        Pod pod = PodSessions.apply(new RuntimeCopyStep("sparkgate/gateway:0.1.0"), PodSessions.one());

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
}
