package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriverResourcesStepTest {

    private static ResourceRequirements resources(Map<String, String> conf) {
        Pod pod = PodSessions.apply(new DriverResourcesStep(), PodSessions.with(conf));
        return PodSessions.driver(pod).getResources();
    }

    @Test
    void aSmallHeapGetsSparksMinimumOverheadOf384MiB() {
        ResourceRequirements resources = resources(Map.of("spark.driver.memory", "1g"));

        assertThat(resources.getRequests()).containsEntry("memory", new Quantity("1408Mi"))
                .containsEntry("cpu", new Quantity("1"));
        assertThat(resources.getLimits()).containsExactly(Map.entry("memory", new Quantity("1408Mi")));
    }

    @Test
    void aLargeHeapGetsTenPercentOverheadAndTheSessionsCores() {
        ResourceRequirements resources = resources(Map.of("spark.driver.memory", "8g", "spark.driver.cores", "2"));

        assertThat(resources.getRequests()).containsEntry("memory", new Quantity("9011Mi"))
                .containsEntry("cpu", new Quantity("2"));
    }

    @Test
    void anExplicitOverheadAndCpuRequestAndLimitAreSparksOwnConfs() {
        ResourceRequirements resources = resources(Map.of("spark.driver.memory", "512m",
                "spark.driver.memoryOverhead", "1g", "spark.kubernetes.driver.request.cores", "500m",
                "spark.kubernetes.driver.limit.cores", "2"));

        assertThat(resources.getRequests()).containsEntry("memory", new Quantity("1536Mi"))
                .containsEntry("cpu", new Quantity("500m"));
        assertThat(resources.getLimits()).containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("1536Mi"));
    }
}
