package dev.sparkgate.gateway.kubernetes.steps;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiCredentialsStepTest {

    @Test
    void inAPodTheDriverUsesTheMountedServiceAccount() {
        ApiCredentialsStep step = new ApiCredentialsStep(true, null);

        assertThat(step.sparkConf(Sessions.one())).containsExactly(
                Map.entry("spark.kubernetes.authenticate.caCertFile",
                        "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"),
                Map.entry("spark.kubernetes.authenticate.oauthTokenFile",
                        "/var/run/secrets/kubernetes.io/serviceaccount/token"));
        assertThat(step.driverEnvironment(Sessions.one())).isEmpty();
    }

    @Test
    void outsideAPodTheDriverFindsTheKubeconfigInItsEnvironment() {
        ApiCredentialsStep step = new ApiCredentialsStep(false, Path.of("/home/me/.kube/config"));

        assertThat(step.sparkConf(Sessions.one())).isEmpty();
        assertThat(step.driverEnvironment(Sessions.one()))
                .containsExactly(Map.entry("KUBECONFIG", "/home/me/.kube/config"));
    }
}
