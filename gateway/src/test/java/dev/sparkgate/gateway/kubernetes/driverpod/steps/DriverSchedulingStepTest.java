package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriverSchedulingStepTest {

    @Test
    void nodeSelectorsForAllPodsAndForTheDriverApplyTheDriversWinning() {
        Pod pod = PodSessions.apply(new DriverSchedulingStep(), PodSessions.with(Map.of(
                "spark.kubernetes.node.selector.pool", "spark", "spark.kubernetes.node.selector.zone", "a",
                "spark.kubernetes.driver.node.selector.zone", "b",
                "spark.kubernetes.scheduler.name", "volcano")));

        assertThat(pod.getSpec().getNodeSelector()).containsExactlyInAnyOrderEntriesOf(Map.of("pool", "spark", "zone", "b"));
        assertThat(pod.getSpec().getSchedulerName()).isEqualTo("volcano");
    }

    @Test
    void withoutConfsThePodMayGoAnywhere() {
        Pod pod = PodSessions.apply(new DriverSchedulingStep(), PodSessions.one());

        assertThat(pod.getSpec().getNodeSelector()).isEmpty();
        assertThat(pod.getSpec().getSchedulerName()).isNull();
    }
}
