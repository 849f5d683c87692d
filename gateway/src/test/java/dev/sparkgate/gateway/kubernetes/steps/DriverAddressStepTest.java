package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriverAddressStepTest {

    @Test
    void executorsDialTheDriverOnItsHostAndTheSessionsOwnPorts() {
        assertThat(new DriverAddressStep("192.168.1.5", false).sparkConf(Sessions.one())).containsExactly(
                Map.entry("spark.driver.host", "192.168.1.5"),
                Map.entry("spark.driver.bindAddress", "192.168.1.5"),
                Map.entry("spark.driver.port", "40010"),
                Map.entry("spark.driver.blockManager.port", "40011"),
                Map.entry("spark.blockManager.port", "0"));
    }

    @Test
    void executorsBlockManagersTakeAnyFreePortNotTheDriversSoExecutorsOnOneAddressNeverWalkIntoOtherSessionsPorts() {
        Map<String, String> conf = new DriverAddressStep("127.0.0.1", false).sparkConf(Sessions.one());

        assertThat(conf.get("spark.blockManager.port")).as("each executor's own block manager").isEqualTo("0");
        assertThat(conf.get("spark.driver.blockManager.port")).as("the driver's, from the session's range")
                .isEqualTo("40011");
    }

    @Test
    void inAPodTheDriverBindsToEveryInterface() {
        assertThat(new DriverAddressStep("10.1.2.3", true).sparkConf(Sessions.one()))
                .containsEntry("spark.driver.host", "10.1.2.3")
                .containsEntry("spark.driver.bindAddress", "0.0.0.0");
    }
}
