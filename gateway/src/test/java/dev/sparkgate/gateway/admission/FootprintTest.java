package dev.sparkgate.gateway.admission;

import dev.sparkgate.gateway.errors.BadRequest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What one session holds, read from its Spark confs as Spark would read them. */
class FootprintTest {

    @Test
    void aSessionHoldsItsDriverHeapOrTheGatewaysDefault() {
        assertThat(Footprint.ofSession(Map.of("spark.driver.memory", "2g"), "1g").driverMemoryMiB()).isEqualTo(2048);
        assertThat(Footprint.ofSession(Map.of(), "768m").driverMemoryMiB()).isEqualTo(768);
        assertThat(Footprint.ofSession(Map.of(), "768m").sessions()).isEqualTo(1);
    }

    @Test
    void executorsAreTheInstancesAskedForElseSparksDefaultOnKubernetesElseNone() {
        assertThat(Footprint.ofSession(Map.of("spark.executor.instances", "3"), "1g").executors()).isEqualTo(3);
        assertThat(Footprint.ofSession(Map.of("spark.master", "k8s://https://api:6443"), "1g").executors())
                .as("Spark's default of 2 executors on Kubernetes").isEqualTo(2);
        assertThat(Footprint.ofSession(Map.of("spark.master", "local[*]"), "1g").executors())
                .as("local[*] runs tasks inside the driver").isZero();
    }

    @Test
    void withDynamicAllocationExecutorsAreItsMaximumAndUnboundedWithoutOne() {
        assertThat(Footprint.ofSession(Map.of("spark.dynamicAllocation.enabled", "true",
                "spark.dynamicAllocation.maxExecutors", "5", "spark.executor.instances", "1"), "1g").executors())
                .isEqualTo(5);
        assertThat(Footprint.ofSession(Map.of("spark.dynamicAllocation.enabled", "true"), "1g").executors())
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void unreadableConfsAreRefusedNamingTheConf() {
        assertThatThrownBy(() -> Footprint.ofSession(Map.of("spark.executor.instances", "many"), "1g"))
                .isInstanceOf(BadRequest.class).hasMessageContaining("spark.executor.instances is 'many'");
        assertThatThrownBy(() -> Footprint.ofSession(Map.of("spark.driver.memory", "lots"), "1g"))
                .isInstanceOf(BadRequest.class).hasMessageContaining("driverMemory (spark.driver.memory) is 'lots'");
    }

    @Test
    void footprintsAddUp() {
        assertThat(new Footprint(1, 2, 512).plus(new Footprint(1, 3, 1024))).isEqualTo(new Footprint(2, 5, 1536));
    }
}
