package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeClaimsStepTest {

    @Test
    void theDriverNeitherOwnsNorReusesVolumeClaims() {
        assertThat(new VolumeClaimsStep().sparkConf(Sessions.one())).containsExactly(
                Map.entry("spark.kubernetes.driver.ownPersistentVolumeClaim", "false"),
                Map.entry("spark.kubernetes.driver.reusePersistentVolumeClaim", "false"));
    }
}
