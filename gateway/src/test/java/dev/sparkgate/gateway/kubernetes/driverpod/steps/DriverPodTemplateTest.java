package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An operator's pod template is where a driver pod starts from, as Spark's own driver pods do. */
class DriverPodTemplateTest {

    private static final String TEMPLATE = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: ignored
              labels: {team: analytics}
            spec:
              restartPolicy: Always
              tolerations:
              - {key: dedicated, operator: Equal, value: spark, effect: NoSchedule}
              containers:
              - name: log-shipper
                image: fluent-bit:3
              - name: main
                image: ignored
                env:
                - {name: TEAM_SETTING, value: "1"}
            """;

    @Test
    void theTemplatesTolerationsSidecarsAndLabelsComeThroughAndTheNamedContainerIsTheDrivers(@TempDir Path dir)
            throws IOException {
        Path template = Files.writeString(dir.resolve("driver.yaml"), TEMPLATE);

        Pod pod = DriverPods.base(PodSessions.with(Map.of("spark.kubernetes.driver.podTemplateFile", template.toString(),
                "spark.kubernetes.driver.podTemplateContainerName", "main")));

        assertThat(pod.getMetadata().getName()).isEqualTo("sg-gw-s7-driver");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("spark-jobs");
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "analytics");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName)
                .containsExactly("log-shipper", DriverPods.DRIVER_CONTAINER);
        assertThat(DriverPods.driver(pod).getEnv()).singleElement()
                .satisfies(e -> assertThat(e.getName()).isEqualTo("TEAM_SETTING"));
    }

    @Test
    void withoutAContainerNameTheTemplatesFirstContainerIsTheDrivers(@TempDir Path dir) throws IOException {
        Path template = Files.writeString(dir.resolve("driver.yaml"), TEMPLATE);

        Pod pod = DriverPods.base(PodSessions.with(Map.of("spark.kubernetes.driver.podTemplateFile", template.toString())));

        assertThat(pod.getSpec().getContainers()).extracting(Container::getName)
                .containsExactly(DriverPods.DRIVER_CONTAINER, "main");
    }

    @Test
    void aTemplateThatIsNotAPodIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path template = Files.writeString(dir.resolve("driver.yaml"), "{not: [a pod");

        assertThatThrownBy(() -> DriverPods.base(PodSessions.with(Map.of(
                "spark.kubernetes.driver.podTemplateFile", template.toString()))))
                .hasMessageContaining("driver.yaml").hasMessageContaining("cannot be read as a pod");
    }

    @Test
    void withoutATemplateThePodHasJustTheDriverContainer() {
        Pod pod = DriverPods.base(PodSessions.one());

        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly(DriverPods.DRIVER_CONTAINER);
        assertThat(pod.getSpec().getTolerations()).isEmpty();
    }
}
