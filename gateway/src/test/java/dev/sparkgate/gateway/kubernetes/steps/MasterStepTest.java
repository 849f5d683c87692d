package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MasterStepTest {

    @Test
    void theDriverAsksTheApiServerForExecutorsInClientMode() {
        Map<String, String> conf = new MasterStep("https://10.0.0.1:6443/").sparkConf(Sessions.one());

        assertThat(conf).containsExactly(
                Map.entry("spark.master", "k8s://https://10.0.0.1:6443"),
                Map.entry("spark.submit.deployMode", "client"));
    }
}
