package dev.sparkgate.gateway.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.TestGateway;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import dev.sparkgate.protocol.Kind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions in Kubernetes client mode, against the emulated cluster: Spark's own scheduler backend creates executor
 * pods, the local kubelet runs them as JVMs, and the gateway labels, shows, cleans up and reaps them.
 */
class KubernetesSessionTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.spark).sessionField("numExecutors", 2)
            .onEmulatedCluster("sessions", "gw-test", "41000-41099");
    private static EmulatedCluster cluster;
    private static LivyClient livy;
    private static int session;

    @BeforeAll
    static void clients() {
        cluster = gateway.cluster();
        livy = gateway.livy();
        session = gateway.session();
    }

    @Test
    void aSessionsTasksRunOnItsTwoExecutorPodsWhichTheSessionShows() {
        Await.until("two running executors", Duration.ofSeconds(60), () -> runningExecutors(session).size() == 2);

        JsonNode statement = livy.run(session, "spark",
                "sc.parallelize(1 to 200, 20).map { _ => Thread.sleep(20); org.apache.spark.SparkEnv.get.executorId }"
                        + ".distinct().collect().sorted.mkString(\",\")");

        List<Pod> pods = podsOf(session);
        String seenByTasks = statement.path("output").path("data").path("text/plain").asText().replaceAll("(?s).*= ", "").trim();
        assertThat(seenByTasks.split(",")).as("executor ids seen by tasks").containsExactlyInAnyOrderElementsOf(
                pods.stream().map(p -> p.getMetadata().getLabels().get("spark-exec-id")).toList());
        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getMetadata().getLabels()).containsEntry("sparkgate.dev/gateway", "gw-test")
                    .containsEntry("sparkgate.dev/session", String.valueOf(session))
                    .containsEntry("spark-role", "executor");
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        });
        JsonNode view = livy.get("/sessions/" + session).body();
        assertThat(view.path("executors").findValuesAsText("name"))
                .containsExactlyInAnyOrderElementsOf(pods.stream().map(p -> p.getMetadata().getName()).toList());
        assertThat(view.path("appInfo").path("sparkUiUrl").asText()).startsWith("http://").endsWith("/ui/");
        assertThat(view.path("conf").path("spark.master").asText()).startsWith("k8s://http://127.0.0.1:");
    }

    @Test
    void theGatewayIsReadyWithItsClusterAndCountsExecutorsByState() {
        Await.until("two running executors", Duration.ofSeconds(60), () -> runningExecutors(session).size() == 2);

        LivyClient.Reply ready = livy.get("/readyz");
        String metrics = Await.value("the executors gauge at two running", Duration.ofSeconds(30),
                KubernetesSessionTest::metricsText, text -> text.contains(
                        "sparkgate_executors{state=\"Running\"} 2.0"));

        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("checks").path("kubernetes").asText()).as("the emulated API answers")
                .isEqualTo("ok");
        assertThat(metrics).contains("sparkgate_sessions{kind=\"spark\",placement=\"local\",runtime=\"3.5\","
                + "state=\"idle\"} 1.0");
    }

    private static String metricsText() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    gateway.baseUri().resolve("/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aKilledExecutorIsReplacedAndTheStatementStillCompletes() {
        List<String> before = Await.value("two running executors", Duration.ofSeconds(60),
                () -> runningExecutors(session), running -> running.size() == 2);
        int id = livy.post("/sessions/" + session + "/statements", Map.of("kind", "spark",
                "code", "sc.parallelize(1 to 60, 12).map { x => Thread.sleep(300); x }.count()")).body().path("id").asInt();
        Await.until("statement " + id + " under way", Duration.ofSeconds(60),
                () -> livy.get("/sessions/" + session + "/statements/" + id).body().path("progress").asDouble() > 0);

        cluster.kubelet().processOf(before.get(0)).orElseThrow().destroyForcibly();

        JsonNode statement = livy.awaitStatement(session, id, Duration.ofSeconds(120));
        assertThat(statement.path("output").path("data").path("text/plain").asText()).contains("Long = 60");
        Await.value("two running executors, without " + before.get(0), Duration.ofSeconds(60),
                () -> runningExecutors(session), running -> running.size() == 2 && !running.contains(before.get(0)));
    }

    @Test
    void deletingASessionRemovesItsPodsWithinTenSeconds() {
        int doomed = livy.createIdleSession(Map.of("kind", "sql", "numExecutors", 1));
        Await.until("one running executor", Duration.ofSeconds(60), () -> runningExecutors(doomed).size() == 1);
        assertThat(livy.get("/sessions/" + doomed).body().path("conf").path("spark.driver.port").asInt())
                .as("two sessions, two sets of ports")
                .isNotEqualTo(livy.get("/sessions/" + session).body().path("conf").path("spark.driver.port").asInt());

        livy.delete("/sessions/" + doomed);

        Await.until("the pods of session " + doomed + " gone", Duration.ofSeconds(10), () -> podsOf(doomed).isEmpty());
    }

    @Test
    void aDeadDriversPodsAreRemovedWithinTenSeconds() {
        int victim = livy.createIdleSession(Map.of("kind", "sql", "numExecutors", 1));
        Await.until("one running executor", Duration.ofSeconds(60), () -> runningExecutors(victim).size() == 1);
        long pid = livy.get("/sessions/" + victim).body().path("driver").path("pid").asLong();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        livy.awaitState(victim, "dead", Duration.ofSeconds(20));
        Await.until("the pods of session " + victim + " gone", Duration.ofSeconds(10), () -> podsOf(victim).isEmpty());
        livy.delete("/sessions/" + victim);
    }

    @Test
    void aRestartedGatewayReapsExecutorPodsItLeftBehind() {
        cluster.client().pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("sg-gw-orphan-s99-exec-1")
                .withLabels(Map.of("sparkgate.dev/gateway", "gw-orphan", "sparkgate.dev/session", "99",
                        "spark-role", "executor"))
                .endMetadata()
                .withNewSpec().addNewContainer().withName("executor").withImage("apache/spark:3.5.6")
                .withArgs("sleep-forever").endContainer().endSpec().build()).create();
        cluster.client().pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("someone-elses-pod").withLabels(Map.of("app", "other")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.36").withCommand("true")
                .endContainer().endSpec().build()).create();

        try (TestGateway restarted = TestGateway.start(EmulatedKubernetes.gatewaySettings(cluster, "gw-orphan",
                "41100-41199"))) {
            Await.until("the orphan pod reaped", Duration.ofSeconds(10), () -> cluster.client().pods()
                    .inNamespace("default").withName("sg-gw-orphan-s99-exec-1").get() == null);
            assertThat(cluster.client().pods().inNamespace("default").withName("someone-elses-pod").get()).isNotNull();
        }
    }

    private static List<Pod> podsOf(int sessionId) {
        return cluster.client().pods().inNamespace("default").withLabel("sparkgate.dev/gateway", "gw-test")
                .withLabel("sparkgate.dev/session", String.valueOf(sessionId)).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static List<String> runningExecutors(int sessionId) {
        return podsOf(sessionId).stream().filter(p -> "Running".equals(p.getStatus().getPhase()))
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }
}
