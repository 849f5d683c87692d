package dev.sparkgate.gateway.kubernetes.driverpod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.testkit.OutsideTools;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each session's driver in a pod of its own, on the emulated cluster: the gateway creates the pod (the session's
 * image, Sparkgate's runtime copied in, the driver's own account), the driver dials back, and its Spark asks the
 * cluster for executors that the driver pod owns. User code in it holds none of the gateway's keys.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodPlacementTest {

    private static final String TOKEN = "gateway-admin-token-4f1c";
    private static final Path IMAGES = Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
            .toAbsolutePath().resolve("images-pod-placement");
    private static final String PYPY_IMAGE = "sparkgate-test/spark-pypy:3.5.6";
    private static final Path PYPY = Path.of("/usr/bin/pypy3");

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.pyspark).sessionField("numExecutors", 2)
            .requires(OutsideTools.PYSPARK)
            .onEmulatedCluster("gw-pods", "41200-41299", () -> {
                if (OutsideTools.PYPY3.isPresent()) {
                    EmulatedKubernetes.sparkImage(IMAGES, "sparkgate-test/spark-pypy", "3.5.6",
                            PYPY, "3.9");
                }
                return EmulatedKubernetes.startForDriverPods("pod-placement", IMAGES, false);
            })
            .with(EmulatedKubernetes.podPlacementSettings()).token(TOKEN);

    private static String driverPodOf(int session) {
        return "sg-gw-pods-s" + session + "-driver";
    }

    private static List<Pod> executorsOf(EmulatedCluster cluster, int session) {
        return cluster.client().pods().inNamespace("default").withLabel("spark-role", "executor")
                .withLabel("sparkgate.dev/session", String.valueOf(session)).list().getItems();
    }

    /** What a Python cell prints. */
    private static String printed(int session, String code) {
        JsonNode output = gateway.livy().run(session, "pyspark", code).path("output");
        assertThat(output.path("status").asText()).as(output.toString()).isEqualTo("ok");
        return output.path("data").path("text/plain").asText();
    }

    @Test
    @Order(1)
    void aPysparkSessionsDriverIsAPodThatOwnsItsTwoExecutorsAndTasksRunOnBoth() {
        EmulatedCluster cluster = gateway.cluster();
        int session = gateway.session();
        List<Pod> executors = Await.value("two running executors of session " + session, Duration.ofSeconds(60),
                () -> executorsOf(cluster, session),
                pods -> pods.size() == 2 && pods.stream().allMatch(p -> "Running".equals(p.getStatus().getPhase())));

        String seen = printed(session, "import os, time\n"
                + "sorted(set(sc.parallelize(range(200), 20).map(lambda _: (time.sleep(0.02), "
                + "os.environ.get('SPARK_EXECUTOR_POD_NAME'))[1]).collect()))");

        assertThat(seen).as("executor pods seen by Python tasks")
                .contains(executors.get(0).getMetadata().getName(), executors.get(1).getMetadata().getName());
        Pod driver = cluster.client().pods().inNamespace("default").withName(driverPodOf(session)).get();
        assertThat(driver).as("driver pod " + driverPodOf(session)).isNotNull();
        assertThat(driver.getMetadata().getLabels()).containsEntry("spark-role", "driver")
                .containsEntry("sparkgate.dev/gateway", "gw-pods");
        assertThat(driver.getSpec().getContainers().get(0).getImage()).isEqualTo(EmulatedKubernetes.DRIVER_SPARK_IMAGE);
        assertThat(executors).allSatisfy(executor -> assertThat(executor.getMetadata().getOwnerReferences())
                .extracting(OwnerReference::getName).containsExactly(driverPodOf(session)));
        JsonNode view = gateway.livy().get("/sessions/" + session).body();
        assertThat(view.path("driverPod").path("name").asText()).isEqualTo(driverPodOf(session));
        assertThat(view.path("driverPod").path("state").asText()).isEqualTo("Running");
        assertThat(view.path("driverPod").path("node").asText()).isNotBlank();
        assertThat(view.path("executors").findValuesAsText("name")).containsExactlyInAnyOrderElementsOf(
                executors.stream().map(p -> p.getMetadata().getName()).toList());
        // the driver's own output, which lives in its pod's container log, is readable while it runs
        assertThat(gateway.livy().get("/sessions/" + session + "/log?size=2000").body().path("log").toString())
                .contains("driver pod " + driverPodOf(session) + " created", "ready: Spark");
    }

    @Test
    @Order(2)
    void userCodeFindsNoneOfTheGatewaysKeysAndItsAccountMayManageOnlyExecutors() throws Exception {
        EmulatedCluster cluster = gateway.cluster();
        int session = gateway.session();

        JsonNode seen = Json.MAPPER.readTree(printed(session, "import os, json\n"
                + "token_file = os.environ.get('KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN', "
                + "'/var/run/secrets/kubernetes.io/serviceaccount/token')\n"
                + "files = {}\n"
                + "for root, dirs, names in os.walk(os.environ['HOME']):\n"
                + "    for n in names:\n"
                + "        p = os.path.join(root, n)\n"
                + "        try:\n"
                + "            files[p] = open(p, errors='replace').read(1 << 20)\n"
                + "        except OSError:\n"
                + "            pass\n"
                + "print(json.dumps({'env': dict(os.environ), 'token': open(token_file).read(), 'files': files}))"));

        assertThat(seen.path("env").toString()).as("the driver's environment").doesNotContain(TOKEN)
                .doesNotContain("SPARKGATE_TOKEN").doesNotContain("KUBECONFIG");
        assertThat(seen.path("files").toString()).as("the files of the driver's pod").doesNotContain(TOKEN);
        assertThat(cluster.client().pods().inNamespace("default").withName(driverPodOf(session)).get().toString())
                .as("the driver pod's spec").doesNotContain(TOKEN);
        String token = seen.path("token").asText().trim();
        try (KubernetesClient asDriver = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(cluster.apiServerUrl()).withOauthToken(token).withNamespace("default").build()).build()) {
            assertThat(allowed(asDriver, "create", "pods", "default")).as("create executor pods").isTrue();
            assertThat(allowed(asDriver, "get", "secrets", "default")).as("read Secrets").isFalse();
            assertThat(allowed(asDriver, "create", "pods", "kube-system")).as("create pods elsewhere").isFalse();
            assertThatThrownBy(() -> asDriver.secrets().inNamespace("default").list())
                    .isInstanceOf(KubernetesClientException.class).hasMessageContaining("403");
        }
    }

    private static boolean allowed(KubernetesClient client, String verb, String resource, String namespace) {
        return client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withResourceAttributes(new ResourceAttributesBuilder().withVerb(verb)
                        .withResource(resource).withNamespace(namespace).build()).endSpec().build())
                .getStatus().getAllowed();
    }

    @Test
    @Order(3)
    void onAnImageWhosePythonIsPyPyTheSessionRunsPyPyForTheDriverRunsThatImage() {
        OutsideTools.PYPY3.require();
        LivyClient livy = gateway.livy();
        int session = livy.createIdleSession(Map.of("kind", "pyspark", "numExecutors", 1,
                "conf", Map.of("spark.kubernetes.container.image", PYPY_IMAGE)));

        String seen = printed(session, "import platform\n"
                + "print(platform.python_implementation(), platform.python_version(), "
                + "sc.parallelize(range(10), 2).map(lambda x: x * 2).sum())");

        assertThat(seen.trim()).startsWith("PyPy 3.9.").endsWith(" 90");
        assertThat(livy.delete("/sessions/" + session).status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void deletingTheSessionLeavesNoDriverPodSecretOrExecutorWithinTenSeconds() {
        EmulatedCluster cluster = gateway.cluster();
        int session = gateway.session();
        assertThat(executorsOf(cluster, session)).hasSize(2);

        assertThat(gateway.livy().delete("/sessions/" + session).status()).isEqualTo(200);

        Await.until("no pod or Secret of session " + session + " left", Duration.ofSeconds(10),
                () -> cluster.client().pods().inNamespace("default").withLabel("sparkgate.dev/session",
                        String.valueOf(session)).list().getItems().isEmpty()
                        && cluster.client().secrets().inNamespace("default").withLabel("sparkgate.dev/session",
                        String.valueOf(session)).list().getItems().isEmpty());
    }
}
