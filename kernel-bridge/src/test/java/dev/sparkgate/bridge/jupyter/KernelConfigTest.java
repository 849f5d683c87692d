package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.jupyter.KernelSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KernelConfigTest {

    @Test
    void aKernelspecsEnvironmentConfiguresTheKernel() {
        KernelConfig config = KernelConfig.fromEnvironment(Map.of("SPARKGATE_GATEWAY_URL", "http://gw:8998",
                "SPARKGATE_KERNEL_KIND", "sql", "SPARKGATE_SESSION_NAME", "team",
                "SPARKGATE_SESSION_CONF", "spark.executor.memory=2g, spark.executor.instances=2"));

        assertThat(config.problem()).isNull();
        assertThat(config.spec()).isEqualTo(KernelSpec.SQL);
        assertThat(config.gateway()).hasToString("http://gw:8998/");
        assertThat(config.sessionName()).isEqualTo("team");
        assertThat(config.sessionConf()).containsEntry("spark.executor.memory", "2g")
                .containsEntry("spark.executor.instances", "2");
    }

    @Test
    void aMissingGatewayIsAProblemTheUserIsToldAbout() {
        KernelConfig config = KernelConfig.fromEnvironment(Map.of("SPARKGATE_KERNEL_KIND", "spark"));

        assertThat(config.problem()).contains("SPARKGATE_GATEWAY_URL", "Reinstall the kernelspecs with --gateway URL");
    }
}
