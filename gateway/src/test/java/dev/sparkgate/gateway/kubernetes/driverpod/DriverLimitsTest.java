package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.errors.BadRequest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverLimitsTest {

    private final DriverLimits limits = DriverLimits.fromEnvironment(Map.of("SPARKGATE_DRIVER_MAX_MEMORY", "4g",
            "SPARKGATE_DRIVER_MAX_CORES", "2"));

    @Test
    void aDriverWithinTheLimitsPasses() {
        assertThatCode(() -> limits.check(Map.of("spark.driver.memory", "4096m", "spark.driver.cores", "2"), "1g"))
                .doesNotThrowAnyException();
    }

    @Test
    void moreMemoryOrCoresThanTheOperatorAllowsIsRefusedNamingTheLimit() {
        assertThatThrownBy(() -> limits.check(Map.of("spark.driver.memory", "5g"), "1g")).isInstanceOf(BadRequest.class)
                .hasMessageContaining("4096 MiB").hasMessageContaining("SPARKGATE_DRIVER_MAX_MEMORY");
        assertThatThrownBy(() -> limits.check(Map.of("spark.driver.cores", "3"), "1g")).isInstanceOf(BadRequest.class)
                .hasMessageContaining("limit of 2").hasMessageContaining("SPARKGATE_DRIVER_MAX_CORES");
    }

    @Test
    void sizesAndCoresThatCannotBeReadAreRefusedNamingTheField() {
        assertThatThrownBy(() -> limits.check(Map.of("spark.driver.memory", "lots"), "1g")).isInstanceOf(BadRequest.class)
                .hasMessageContaining("driverMemory").hasMessageContaining("'lots'").hasMessageContaining("2g");
        assertThatThrownBy(() -> limits.check(Map.of("spark.driver.cores", "two"), "1g")).isInstanceOf(BadRequest.class)
                .hasMessageContaining("driverCores is 'two'");
        assertThatThrownBy(() -> limits.check(Map.of("spark.driver.cores", "1.5"), "1g")).isInstanceOf(BadRequest.class)
                .hasMessageContaining("whole number");
    }
}
