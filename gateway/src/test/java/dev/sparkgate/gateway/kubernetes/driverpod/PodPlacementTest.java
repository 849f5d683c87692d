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
 * cluster for executors that the driver pod owns. User code in it holds none of the gateway's keys. The runtime copied
 * in is the one of the image's Spark line: 4.1 on a Spark 4.1 image, beside a session on 3.5.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodPlacementTest {

    private static final String TOKEN = "gateway-admin-token-4f1c";
    private static final Path IMAGES = Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
            .toAbsolutePath().resolve("images-pod-placement");
    private static final String PYPY_IMAGE = "sparkgate-test/spark-pypy:3.5.6";
    private static final Path PYPY = Path.of("/usr/bin/pypy3");
    private static final String SPARK41_IMAGE = "sparkgate-test/spark:4.1.1";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.pyspark).sessionField("numExecutors", 2)
            .requires(OutsideTools.PYSPARK)
            .onEmulatedCluster("gw-pods", "41200-41299", () -> {
                EmulatedKubernetes.spark41Image(IMAGES, "sparkgate-test/spark", "4.1.1");
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
        return text(session, "pyspark", code);
    }

    /** What a Scala cell returns. */
    private static String scala(int session, String code) {
        return text(session, "spark", code);
    }

    private static String text(int session, String kind, String code) {
        JsonNode output = gateway.livy().run(session, kind, code).path("output");
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
    void aSpark41ImagesDriverPodGetsThe41RuntimeAndRunsCellClassesOnItsExecutorsBesideA35Session() {
        EmulatedCluster cluster = gateway.cluster();
        LivyClient livy = gateway.livy();
        int on35 = gateway.session();

        // given a shared session (Scala and SQL) on a Spark 4.1.1 image, beside the class's session on the 3.5.6 image
        int on41 = livy.createIdleSession(Map.of("kind", "shared", "numExecutors", 1,
                "conf", Map.of("spark.kubernetes.container.image", SPARK41_IMAGE)));

        // then the version check chose the 4.1 runtime, which the init container copied into a pod of that image
        JsonNode view = livy.get("/sessions/" + on41).body();
        assertThat(view.path("conf").path("sparkgate.sparkVersion").asText()).isEqualTo("4.1");
        assertThat(view.path("versions").path("driver").path("sparkVersion").asText()).isEqualTo("4.1.1");
        assertThat(view.path("driver").path("sparkVersion").asText()).isEqualTo("4.1.1");
        Pod pod = cluster.client().pods().inNamespace("default").withName(driverPodOf(on41)).get();
        assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(SPARK41_IMAGE);
        assertThat(pod.getSpec().getInitContainers()).singleElement().satisfies(init -> assertThat(init.getCommand())
                .anySatisfy(part -> assertThat(part).contains("cp -R /opt/sparkgate/driver-4.1/. ")));

        // when a cell defines a class, a job's tasks use it, and they say where they ran
        scala(on41, "case class Reading(value: Int)");
        String sum = scala(on41, "sc.parallelize(1 to 4, 2).map(i => Reading(i * 10)).map(_.value).reduce(_ + _)");
        // (what a task sees: its Spark's version, its pod, and the spark-core on its classpath)
        String where = scala(on41, "sc.parallelize(1 to 1, 1).map(_ => (org.apache.spark.SPARK_VERSION, "
                + "System.getenv(\"SPARK_EXECUTOR_POD_NAME\"), System.getProperty(\"java.class.path\")"
                + ".split(':').filter(_.contains(\"spark-core\")).mkString)).first");
        String driverSpark = scala(on41, "(org.apache.spark.SPARK_VERSION, scala.util.Properties.versionNumberString)");

        // then the driver runs Spark 4.1.1 on Scala 2.13, and the tasks ran on the session's executor pod, on the
        // image's own Spark 4.1.1 jars, loading the class the cell defined
        assertThat(driverSpark).contains("(4.1.1,2.13.");
        assertThat(sum).contains("Int = 100");
        List<Pod> executors = executorsOf(cluster, on41);
        assertThat(executors).singleElement().satisfies(executor -> {
            assertThat(executor.getSpec().getContainers().get(0).getImage()).isEqualTo(SPARK41_IMAGE);
            assertThat(where).contains("(4.1.1," + executor.getMetadata().getName() + ",")
                    .contains("sparkgate-test/spark/4.1.1/rootfs/opt/spark/jars/spark-core_2.13-4.1.1.jar)");
        });
        // and SQL runs with Spark 4's ANSI semantics
        JsonNode table = livy.run(on41, "sql", "SELECT sum(id) AS s FROM range(10)").path("output");
        assertThat(table.path("data").path("application/json").path("data").toString()).isEqualTo("[[45]]");
        JsonNode divide = livy.run(on41, "sql", "SELECT 1 / 0 AS x").path("output");
        assertThat(divide.path("evalue").asText()).contains("DIVIDE_BY_ZERO");

        // and beside it the 3.5.6 image's session runs on the 3.5 runtime, copied from the image's driver home
        assertThat(livy.get("/sessions/" + on35).body().path("driver").path("sparkVersion").asText()).isEqualTo("3.5.6");
        assertThat(printed(on35, "spark.version")).isEqualTo("'3.5.6'");
        assertThat(cluster.client().pods().inNamespace("default").withName(driverPodOf(on35)).get().getSpec()
                .getInitContainers()).singleElement().satisfies(init -> assertThat(init.getCommand())
                .anySatisfy(part -> assertThat(part).contains("cp -R /opt/sparkgate/driver/. ")));
        assertThat(livy.delete("/sessions/" + on41).status()).isEqualTo(200);
    }

    @Test
    @Order(5)
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
