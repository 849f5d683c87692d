package dev.sparkgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml: valid for Compose itself, every image pinned, the gateway wired to k3s and the notebooks, and
 * sessions' drivers placed in k3s pods from the locally built image.
 */
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
        assertThat(services.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("k3s", "k3s-images", "gateway", "jupyter", "zeppelin");
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

        // then it runs where the node does, so driver pods dial its link at 10.42.0.1 and it reaches them back
        assertThat(gateway.path("network_mode").asText()).isEqualTo("service:k3s");
        assertThat(env).containsEntry("SPARKGATE_LINK_URL", "ws://10.42.0.1:8998")
                .containsEntry("KUBECONFIG", "/output/kubeconfig.yaml");
        assertThat(env(services.path("k3s"))).containsEntry("K3S_KUBECONFIG_OUTPUT", "/output/kubeconfig.yaml");
        assertThat(services.path("k3s").path("privileged").asBoolean()).isTrue();
        assertThat(services.path("k3s").path("networks").path("default").path("aliases").toString())
                .contains("\"gateway\"");
        assertThat(services.path("k3s").path("ports").toString()).contains("8998");
        assertThat(gateway.path("healthcheck").path("test").toString()).contains("/healthz");
    }

    @Test
    void driversArePodsOfK3sThatCopyTheirRuntimeFromTheLocallyBuiltImage() {
        // given the gateway's settings and the services that feed k3s
        JsonNode gateway = services.path("gateway");
        JsonNode k3s = services.path("k3s");
        JsonNode images = services.path("k3s-images");
        String image = gateway.path("image").asText();

        // then drivers run in pods, with the runtime from the gateway's own image
        assertThat(env(gateway)).containsEntry("SPARKGATE_PLACEMENT", "pod").containsEntry("SPARKGATE_IMAGE", image);
        // which k3s cannot pull: it is saved where k3s imports images from, before k3s starts
        assertThat(images.path("command").toString()).contains("\"save\"", "\"" + image + "\"",
                "/images/sparkgate-gateway.tar");
        assertThat(images.path("volumes").toString()).contains("/var/run/docker.sock", "k3s-images:/images");
        assertThat(k3s.path("volumes").toString()).contains("k3s-images:/var/lib/rancher/k3s/agent/images");
        assertThat(k3s.path("depends_on").path("k3s-images").path("condition").asText())
                .isEqualTo("service_completed_successfully");
        // and k3s applies the drivers' account and Role at boot
        assertThat(k3s.path("volumes").toString()).contains(Repository.path("deploy/compose/k3s/sparkgate-driver.yaml")
                + ":/var/lib/rancher/k3s/server/manifests/sparkgate-driver.yaml");
    }

    @Test
    void theDriversRoleInK3sIsTheBasesInTheStacksNamespace() {
        // given the manifest k3s applies, and the base's Role for drivers
        Manifests compose = Manifests.parse(Repository.read("deploy/compose/k3s/sparkgate-driver.yaml"));
        Role base = Manifests.render("deploy/kubernetes/base").one(Role.class, "sparkgate-driver");
        String namespace = env(services.path("gateway")).get("SPARKGATE_NAMESPACE");

        // then it grants exactly the same, to the account drivers run as, where the sessions run
        assertThat(RoleTest.grants(compose.one(Role.class, "sparkgate-driver")))
                .containsExactlyInAnyOrderElementsOf(RoleTest.grants(base));
        RoleBinding binding = compose.one(RoleBinding.class, "sparkgate-driver");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getName()).isEqualTo("sparkgate-driver");
            assertThat(subject.getNamespace()).isEqualTo(namespace);
        });
        assertThat(compose.one(ServiceAccount.class, "sparkgate-driver").getAutomountServiceAccountToken()).isFalse();
        assertThat(compose.objects()).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(namespace));
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
