package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriverLabelsStepTest {

    @Test
    void theDriverPodIsLabelledAsThisGatewaysSessionsDriver() {
        Pod pod = PodSessions.apply(new DriverLabelsStep("gw-a"), PodSessions.one());

        assertThat(pod.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "sparkgate.dev/gateway", "gw-a", "sparkgate.dev/session", "7", "spark-role", "driver"));
    }

    @Test
    void theUsersLabelsAndAnnotationsAreAddedButNeverOverrideTheGatewaysOwn() {
        Pod pod = PodSessions.apply(new DriverLabelsStep("gw-a"), PodSessions.with(Map.of(
                "spark.kubernetes.driver.label.team", "risk",
                "spark.kubernetes.driver.label.spark-role", "executor",
                "spark.kubernetes.driver.annotation.cost-center", "42")));

        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "risk").containsEntry("spark-role", "driver");
        assertThat(pod.getMetadata().getAnnotations()).containsExactly(Map.entry("cost-center", "42"));
    }

    @Test
    void theOwnerIsALabelMadeValidAndAnAnnotationAsTheyAre() {
        Pod pod = PodSessions.apply(new DriverLabelsStep("gw-a"), PodSessions.ownedBy("@ada.lovelace@example.com"));

        assertThat(pod.getMetadata().getLabels()).containsEntry("sparkgate.dev/owner", "ada.lovelace_example.com");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("sparkgate.dev/owner", "@ada.lovelace@example.com");
        assertThat(DriverLabelsStep.labelValue("x".repeat(70) + "!")).hasSize(63);
        assertThat(DriverLabelsStep.labelValue("___")).isEmpty();
    }
}
