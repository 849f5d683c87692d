package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class PodDriverAddressStepTest {

    @Test
    void aDriverPodIsReachedAtItsPodIpOnSparksFixedPortsBoundToEveryInterface() {
        assertThat(new PodDriverAddressStep(false).sparkConf(Sessions.one())).containsExactly(
                entry("spark.driver.host", "$(POD_IP)"), entry("spark.driver.bindAddress", "0.0.0.0"),
                entry("spark.driver.port", "7078"), entry("spark.driver.blockManager.port", "7079"),
                entry("spark.blockManager.port", "7079"));
    }

    @Test
    void wherePodsShareAnAddressEachSessionUsesItsOwnPorts() {
        assertThat(new PodDriverAddressStep(true).sparkConf(Sessions.one()))
                .containsEntry("spark.driver.port", "40010").containsEntry("spark.driver.blockManager.port", "40011")
                .containsEntry("spark.ui.port", "0");
    }

    @Test
    void wherePodsShareAnAddressExecutorsBlockManagersTakeAnyFreePortNotTheSessions() {
        assertThat(new PodDriverAddressStep(true).sparkConf(Sessions.one()))
                .containsEntry("spark.blockManager.port", "0");
    }
}
