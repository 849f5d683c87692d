package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.kubernetes.steps.ClusterSession;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorConfStep;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster's conf steps together: every concern once, in the order a session's conf shows them. */
class ExecutorConfStepsTest {

    @Test
    void aGatewayOutsideTheClusterPlacesExecutorsWithItsKubeconfigAndItsReachableAddress() {
        KubernetesSettings settings = new KubernetesSettings(true, Path.of("/home/me/.kube/config"), null, "spark:3.5.6",
                "spark-executor", "192.168.1.5", false, null, "gw", 40000, 40199, Duration.ofSeconds(120));
        ClusterSession session = new ClusterSession(3, "default", "spark:3.5.6", 40004, 40005);
        List<ExecutorConfStep> steps = KubernetesCluster.steps(settings, "https://127.0.0.1:6443/");

        Map<String, String> conf = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        steps.forEach(step -> {
            conf.putAll(step.sparkConf(session));
            env.putAll(step.driverEnvironment(session));
        });

        assertThat(conf).containsExactly(
                Map.entry("spark.master", "k8s://https://127.0.0.1:6443"),
                Map.entry("spark.submit.deployMode", "client"),
                Map.entry("spark.kubernetes.namespace", "default"),
                Map.entry("spark.kubernetes.container.image", "spark:3.5.6"),
                Map.entry("spark.kubernetes.executor.label.sparkgate.dev/gateway", "gw"),
                Map.entry("spark.kubernetes.executor.label.sparkgate.dev/session", "3"),
                Map.entry("spark.kubernetes.executor.podNamePrefix", "sg-gw-s3"),
                Map.entry("spark.driver.host", "192.168.1.5"),
                Map.entry("spark.driver.bindAddress", "192.168.1.5"),
                Map.entry("spark.driver.port", "40004"),
                Map.entry("spark.driver.blockManager.port", "40005"),
                Map.entry("spark.blockManager.port", "0"),
                Map.entry("spark.kubernetes.driver.ownPersistentVolumeClaim", "false"),
                Map.entry("spark.kubernetes.driver.reusePersistentVolumeClaim", "false"),
                Map.entry("spark.kubernetes.authenticate.executor.serviceAccountName", "spark-executor"));
        assertThat(env).containsExactly(Map.entry("KUBECONFIG", "/home/me/.kube/config"));
    }
}
