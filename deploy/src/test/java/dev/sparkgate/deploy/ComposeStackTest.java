package dev.sparkgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml: valid for Compose itself, every image pinned, the gateway wired to k3s and the notebooks. */
class ComposeStackTest {

    private static JsonNode services;

    @BeforeAll
    static void resolve() {
        // docker-compose config validates the file against Compose's own schema and prints it resolved
        // (variables filled in, paths absolute): the checks below read that, as Compose will run it.
        String resolved = Tools.output(Tools.concat(Tools.compose(), "-f", "docker-compose.yml", "config"));
        try {
            services = new ObjectMapper(new YAMLFactory()).readTree(resolved).get("services");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theStackIsK3sTheGatewayJupyterLabAndZeppelin() {
        assertThat(services.fieldNames()).toIterable().containsExactlyInAnyOrder("k3s", "gateway", "jupyter", "zeppelin");
    }

    @Test
    void everyImageIsPinned() {
        // then each service names an image, with a tag that is not latest (or a digest)
        services.fields().forEachRemaining(service -> {
            String image = service.getValue().path("image").asText("");
            assertThat(Images.isPinned(image)).as(service.getKey() + ": '" + image + "'").isTrue();
        });
        assertThat(services.path("zeppelin").path("image").asText()).isEqualTo("apache/zeppelin:0.11.1");
    }

    @Test
    void theGatewayIsBuiltFromTheDockerfileAndTaggedWithTheProjectVersion() {
        JsonNode gateway = services.path("gateway");
        assertThat(gateway.path("build").path("dockerfile").asText()).isEqualTo("deploy/Dockerfile");
        assertThat(gateway.path("image").asText()).isEqualTo("sparkgate/gateway:" + Repository.projectVersion());
    }

    @Test
    void theGatewaySharesK3sNetworkAndDialsBackOnThePodBridge() {
        // given the gateway's settings in the stack
        JsonNode gateway = services.path("gateway");
        Map<String, String> env = env(gateway);

        // then it runs where the node does, so pods reach its drivers at 10.42.0.1 and it reaches them back
        assertThat(gateway.path("network_mode").asText()).isEqualTo("service:k3s");
        assertThat(env).containsEntry("SPARKGATE_DRIVER_HOST", "10.42.0.1")
                .containsEntry("KUBECONFIG", "/output/kubeconfig.yaml");
        assertThat(env(services.path("k3s"))).containsEntry("K3S_KUBECONFIG_OUTPUT", "/output/kubeconfig.yaml");
        assertThat(services.path("k3s").path("privileged").asBoolean()).isTrue();
        assertThat(services.path("k3s").path("networks").path("default").path("aliases").toString())
                .contains("\"gateway\"");
        assertThat(services.path("k3s").path("ports").toString()).contains("8998");
        assertThat(gateway.path("healthcheck").path("test").toString()).contains("/healthz");
    }

    @Test
    void theGatewayRunsTheExecutorImageItIsBuiltFromWithTheSharedCatalog() {
        // given the gateway's settings and mounts
        JsonNode gateway = services.path("gateway");
        Map<String, String> env = env(gateway);

        // then executors run the Dockerfile's base, and the catalog is the Kubernetes base's very file
        assertThat(env.get("SPARKGATE_EXECUTOR_IMAGE")).isEqualTo(Dockerfile.read().from());
        assertThat(gateway.path("volumes").toString())
                .contains(Repository.path("deploy/kubernetes/base/image-catalog.properties") + ":"
                        + env.get("SPARKGATE_IMAGE_CATALOG"));
        assertThat(Files.isRegularFile(Repository.path("deploy/compose/gateway-start.sh"))).isTrue();
        assertThat(GatewaySources.environmentNames()).containsAll(env.keySet());
    }

    @Test
    void jupyterLabAndZeppelinUseTheGatewayWithItsToken() {
        // given the token the gateway requires
        String token = env(services.path("gateway")).get("SPARKGATE_TOKEN");

        // then JupyterLab forwards kernels to the Kernel Gateway API, and Zeppelin's interpreter is mounted
        assertThat(env(services.path("jupyter"))).containsEntry("JUPYTER_GATEWAY_URL", "http://gateway:8998")
                .containsEntry("JUPYTER_GATEWAY_AUTH_TOKEN", token);
        assertThat(env(services.path("zeppelin"))).containsEntry("SPARKGATE_URL", "http://gateway:8998")
                .containsEntry("SPARKGATE_TOKEN", token);
        assertThat(services.path("zeppelin").path("volumes").toString())
                .contains(Repository.path("kernel-bridge/target/zeppelin-interpreter/sparkgate")
                        + ":/opt/zeppelin/interpreter/sparkgate");
    }

    private static Map<String, String> env(JsonNode service) {
        Map<String, String> env = new HashMap<>();
        service.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }
}
