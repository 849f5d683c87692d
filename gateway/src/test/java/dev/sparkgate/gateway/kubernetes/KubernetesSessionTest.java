package dev.sparkgate.gateway.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.TestGateway;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions in Kubernetes client mode, against the emulated cluster: Spark's own scheduler backend creates executor
 * pods, the local kubelet runs them as JVMs, and the gateway labels, shows, cleans up and reaps them.
 */
class KubernetesSessionTest {

    private static EmulatedCluster cluster;
    private static TestGateway gateway;
    private static LivyClient livy;
    private static int session;

    @BeforeAll
    static void start() {
        cluster = EmulatedKubernetes.start("sessions");
        gateway = TestGateway.start(EmulatedKubernetes.gatewaySettings(cluster, "gw-test", "41000-41099"));
        livy = gateway.livy();
        session = livy.createIdleSession(Map.of("kind", "spark", "numExecutors", 2));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSessionsTasksRunOnItsTwoExecutorPodsWhichTheSessionShows() {
        awaitUntil(() -> runningExecutors(session).size() == 2, Duration.ofSeconds(60));

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
        assertThat(view.path("appInfo").path("sparkUiUrl").asText()).startsWith("http://");
        assertThat(view.path("conf").path("spark.master").asText()).startsWith("k8s://http://127.0.0.1:");
    }

    @Test
    void aKilledExecutorIsReplacedAndTheStatementStillCompletes() {
        awaitUntil(() -> runningExecutors(session).size() == 2, Duration.ofSeconds(60));
        List<String> before = runningExecutors(session);
        int id = livy.post("/sessions/" + session + "/statements", Map.of("kind", "spark",
                "code", "sc.parallelize(1 to 60, 12).map { x => Thread.sleep(300); x }.count()")).body().path("id").asInt();
        awaitUntil(() -> livy.get("/sessions/" + session + "/statements/" + id).body().path("progress").asDouble() > 0,
                Duration.ofSeconds(60));

        cluster.kubelet().processOf(before.get(0)).orElseThrow().destroyForcibly();

        JsonNode statement = livy.awaitStatement(session, id, Duration.ofSeconds(120));
        assertThat(statement.path("output").path("data").path("text/plain").asText()).contains("Long = 60");
        awaitUntil(() -> runningExecutors(session).size() == 2 && !runningExecutors(session).contains(before.get(0)),
                Duration.ofSeconds(60));
    }

    @Test
    void deletingASessionRemovesItsPodsWithinTenSeconds() {
        int doomed = livy.createIdleSession(Map.of("kind", "sql", "numExecutors", 1));
        awaitUntil(() -> runningExecutors(doomed).size() == 1, Duration.ofSeconds(60));
        assertThat(livy.get("/sessions/" + doomed).body().path("conf").path("spark.driver.port").asInt())
                .as("two sessions, two sets of ports")
                .isNotEqualTo(livy.get("/sessions/" + session).body().path("conf").path("spark.driver.port").asInt());

        livy.delete("/sessions/" + doomed);

        awaitUntil(() -> podsOf(doomed).isEmpty(), Duration.ofSeconds(10));
    }

    @Test
    void aDeadDriversPodsAreRemovedWithinTenSeconds() {
        int victim = livy.createIdleSession(Map.of("kind", "sql", "numExecutors", 1));
        awaitUntil(() -> runningExecutors(victim).size() == 1, Duration.ofSeconds(60));
        long pid = livy.get("/sessions/" + victim).body().path("driver").path("pid").asLong();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        livy.awaitState(victim, "dead", Duration.ofSeconds(20));
        awaitUntil(() -> podsOf(victim).isEmpty(), Duration.ofSeconds(10));
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
            awaitUntil(() -> cluster.client().pods().inNamespace("default").withName("sg-gw-orphan-s99-exec-1")
                    .get() == null, Duration.ofSeconds(10));
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

    static void awaitUntil(Supplier<Boolean> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not so within " + timeout);
            }
            LivyClient.sleep(200);
        }
    }
}
