package dev.sparkgate.gateway.kubernetes.driverpod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverPods;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayProcess;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.TestUsers;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm pool with pod placement, on the emulated cluster: one driver pod kept started and warm, with no executors
 * and no session; a session with the operator's settings takes it (labelled its owner's, its executors asked for only
 * then) and the pool refills; a session with settings of its own starts a pod of its own; a pooled pod that dies is
 * replaced; and a gateway killed and started again takes the session back and never lists a pooled pod as a session.
 * One cluster and one gateway (a process, so that it can be killed) for the class, as the steps build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodPoolTest {

    private static final String INSTANCE = "gw-podpool";
    private static final Path IMAGES = Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
            .toAbsolutePath().resolve("images-pod-pool");
    private static final Duration POD_START = Duration.ofSeconds(240);

    private static EmulatedCluster cluster;
    private static Map<String, String> env;
    private static int port;
    private static GatewayProcess gateway;
    /** The session that took the first pooled pod, and that pod. */
    private static int taken;
    private static Pod takenPod;

    @BeforeAll
    static void startClusterAndGateway() throws Exception {
        cluster = EmulatedKubernetes.startForDriverPods("pod-pool", IMAGES, false);
        env = new HashMap<>(EmulatedKubernetes.gatewaySettings(cluster, INSTANCE, "41850-41899"));
        env.putAll(EmulatedKubernetes.podPlacementSettings());
        env.put("SPARKGATE_WARM_SESSIONS", "1");
        env.put("SPARKGATE_USERS_FILE", TestUsers.file("alice:alice-token:", "bob:bob-token:").toString());
        env.put("SPARKGATE_DRIVER_ORPHAN_TIMEOUT", "120s");
        env.put("SPARKGATE_USER_MAX_SESSIONS", "1");
        port = GatewayProcess.freePort();
        Path work = GatewayProcess.freshWorkDir("pod-pool-first");
        gateway = GatewayProcess.start(work, port, env, work.resolve("gateway.log"));
    }

    @AfterAll
    static void stopAll() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<Pod> pooledPods() {
        return cluster.client().pods().inNamespace("default").withLabel("sparkgate.dev/gateway", INSTANCE)
                .withLabel("sparkgate.dev/pooled", "true").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static List<Pod> executors() {
        return cluster.client().pods().inNamespace("default").withLabel("sparkgate.dev/gateway", INSTANCE)
                .withLabel("spark-role", "executor").list().getItems();
    }

    private static boolean warm(Pod pod) {
        try {
            String log = cluster.client().pods().inNamespace("default").withName(pod.getMetadata().getName())
                    .inContainer(DriverPods.DRIVER_CONTAINER).getLog();
            return log != null && log.contains(PodPool.WARM_LINE);
        } catch (KubernetesClientException notStartedYet) {
            return false;
        }
    }

    /** The one pooled pod, once Scala's compiler is warm in it (its driver says so in its log). */
    private static Pod awaitWarmPooledPod(String notNamed) {
        return Await.value("one warm pooled driver pod other than " + notNamed, POD_START, Duration.ofSeconds(1),
                PodPoolTest::pooledPods, pods -> pods.size() == 1
                        && !pods.get(0).getMetadata().getName().equals(notNamed) && warm(pods.get(0))).get(0);
    }

    private static List<Integer> sessionIds(LivyClient livy) {
        JsonNode sessions = livy.get("/sessions").body().path("sessions");
        return StreamSupport.stream(sessions.spliterator(), false).map(s -> s.path("id").asInt()).toList();
    }

    @Test
    @Order(1)
    void thePoolFillsWithAWarmDriverPodThatIsNoSessionAndHasNoExecutors() {
        // when: the gateway has started with SPARKGATE_WARM_SESSIONS=1
        Pod pooled = awaitWarmPooledPod("");

        // then: a driver pod of this gateway, in pooled mode, with no owner and no session record
        assertThat(pooled.getMetadata().getLabels()).containsEntry("spark-role", "driver")
                .doesNotContainKey("sparkgate.dev/owner");
        assertThat(pooled.getMetadata().getAnnotations()).doesNotContainKey(PodPlacement.RECORD_ANNOTATION);
        // and: it asked for no executors, and the gateway lists no session
        assertThat(executors()).as("executor pods while only a pooled driver runs").isEmpty();
        assertThat(sessionIds(new LivyClient(gateway.baseUri(), "alice-token"))).isEmpty();
    }

    @Test
    @Order(2)
    void aSessionTakesThePooledPodAsItsOwnersAndItsExecutorsAreAskedForOnlyThen() {
        // given: the warm pooled pod
        Pod pooled = awaitWarmPooledPod("");
        LivyClient alice = new LivyClient(gateway.baseUri(), "alice-token");

        // when: alice creates a session with the operator's settings and one executor (a pooled pod asks for the
        // session's number of executors when taken, so that number need not match)
        taken = alice.createIdleSession(Map.of("kind", "sql", "numExecutors", 1));

        // then: its driver is the pooled pod, now labelled as hers and her session's, and no longer pooled
        takenPod = cluster.client().pods().inNamespace("default").withName(pooled.getMetadata().getName()).get();
        assertThat(takenPod).as("the pooled pod, still there").isNotNull();
        assertThat(takenPod.getMetadata().getUid()).isEqualTo(pooled.getMetadata().getUid());
        assertThat(takenPod.getMetadata().getLabels()).containsEntry("sparkgate.dev/owner", "alice")
                .containsEntry("sparkgate.dev/session", String.valueOf(taken))
                .doesNotContainKey("sparkgate.dev/pooled");
        assertThat(takenPod.getMetadata().getAnnotations()).containsKey(PodPlacement.RECORD_ANNOTATION);
        assertThat(alice.get("/sessions/" + taken).body().path("driverPod").path("name").asText())
                .isEqualTo(pooled.getMetadata().getName());

        // and: a Spark job runs on an executor asked for after the take, named for the session, owned by the pod
        assertThat(alice.run(taken, "sql", "SELECT sum(id) AS total FROM range(1, 11, 1, 2)").path("output")
                .toString()).as("a job on the session's executor").contains("55");
        List<Pod> executors = executors();
        assertThat(executors).as("executor pods after the job").hasSize(1);
        Pod executor = executors.get(0);
        assertThat(executor.getMetadata().getLabels()).containsEntry("sparkgate.dev/session", String.valueOf(taken));
        assertThat(executor.getMetadata().getOwnerReferences()).extracting(o -> o.getUid())
                .containsExactly(pooled.getMetadata().getUid());
        // and: another user cannot use it
        assertThat(new LivyClient(gateway.baseUri(), "bob-token").get("/sessions/" + taken).status()).isEqualTo(403);
    }

    @Test
    @Order(3)
    void thePoolRefillsWithAnotherPod() {
        // when: the pooled pod was taken (above)
        // then: another one is started and gets warm
        Pod refill = awaitWarmPooledPod(takenPod.getMetadata().getName());
        assertThat(refill.getMetadata().getUid()).isNotEqualTo(takenPod.getMetadata().getUid());
        assertThat(executors()).as("executors: the taken session's only")
                .allSatisfy(e -> assertThat(e.getMetadata().getLabels())
                        .containsEntry("sparkgate.dev/session", String.valueOf(taken)));
    }

    @Test
    @Order(4)
    void aPooledPodTakenForASessionThatIsRefusedGoesBackToThePool() {
        // given: a warm pooled pod, and alice at her limit of one session
        Pod pooled = awaitWarmPooledPod(takenPod.getMetadata().getName());

        // when: alice asks for a second session with the operator's settings
        LivyClient.Reply refused = new LivyClient(gateway.baseUri(), "alice-token").post("/sessions",
                Map.of("kind", "sql"));

        // then: it is refused, and the pod it took is the pool's again, untouched, and the pool's only one (the refill
        // may have started one meanwhile, which it then deletes)
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        Await.value("the pod given back as the only pooled pod", Duration.ofSeconds(60), PodPoolTest::pooledPods,
                pods -> pods.size() == 1 && pods.get(0).getMetadata().getUid().equals(pooled.getMetadata().getUid()));
        Pod again = cluster.client().pods().inNamespace("default").withName(pooled.getMetadata().getName()).get();
        assertThat(again.getMetadata().getLabels()).doesNotContainKey("sparkgate.dev/owner");
        assertThat(again.getMetadata().getAnnotations()).doesNotContainKey(PodPool.CLAIM_ANNOTATION);
    }

    @Test
    @Order(5)
    void aSessionWithSettingsOfItsOwnStartsAPodOfItsOwn() {
        // given: a pooled pod (the one given back above: handed out after warm ones, so wait for none)
        Pod pooled = Await.value("one pooled driver pod", POD_START, PodPoolTest::pooledPods, pods -> pods.size() == 1)
                .get(0);
        LivyClient bob = new LivyClient(gateway.baseUri(), "bob-token");

        // when: bob asks for a Spark conf of his own, read only when Spark starts
        LivyClient.Reply created = bob.post("/sessions", Map.of("kind", "sql",
                "conf", Map.of("spark.sql.shuffle.partitions", "3")));

        // then: its driver is a pod of its own, and the pooled pod is left in the pool
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        int cold = created.body().path("id").asInt();
        Pod own = Await.value("session " + cold + "'s own driver pod", Duration.ofSeconds(60),
                () -> cluster.client().pods().inNamespace("default").withName("sg-" + INSTANCE + "-s" + cold + "-driver")
                        .get(), pod -> pod != null);
        assertThat(own.getMetadata().getLabels()).containsEntry("sparkgate.dev/owner", "bob")
                .doesNotContainKey("sparkgate.dev/pooled");
        assertThat(pooledPods()).extracting(p -> p.getMetadata().getUid()).containsExactly(pooled.getMetadata().getUid());
        assertThat(bob.delete("/sessions/" + cold).status()).isEqualTo(200);
        Await.until("session " + cold + "'s driver pod gone", Duration.ofSeconds(60), () -> cluster.client().pods()
                .inNamespace("default").withName(own.getMetadata().getName()).get() == null);
    }

    @Test
    @Order(6)
    void aPooledPodThatDiesIsReplaced() {
        // given: a warm pooled pod
        Pod pooled = awaitWarmPooledPod(takenPod.getMetadata().getName());

        // when: someone deletes it
        cluster.client().pods().inNamespace("default").withName(pooled.getMetadata().getName()).delete();

        // then: another takes its place
        Pod replacement = awaitWarmPooledPod(pooled.getMetadata().getName());
        assertThat(replacement.getMetadata().getUid()).isNotEqualTo(pooled.getMetadata().getUid());
        assertThat(sessionIds(new LivyClient(gateway.baseUri(), "alice-token"))).containsExactly(taken);
    }

    @Test
    @Order(7)
    void aRestartedGatewayTakesTheSessionBackAndNeverListsAPooledPod() throws Exception {
        // given: the taken session and an untaken pooled pod
        Pod untaken = awaitWarmPooledPod(takenPod.getMetadata().getName());

        // when: the gateway is killed and started again (a new work directory: the API server is the store)
        gateway.kill();
        Path work = GatewayProcess.freshWorkDir("pod-pool-second");
        gateway = GatewayProcess.start(work, port, env, work.resolve("gateway.log"));
        LivyClient alice = new LivyClient(gateway.baseUri(), "alice-token");

        // then: alice's session is back on the same pod, and runs a job
        alice.awaitState(taken, "idle", Duration.ofSeconds(120));
        assertThat(cluster.client().pods().inNamespace("default").withName(takenPod.getMetadata().getName()).get()
                .getMetadata().getUid()).isEqualTo(takenPod.getMetadata().getUid());
        assertThat(alice.run(taken, "sql", "SELECT count(*) AS n FROM range(0, 4321, 1, 2)").path("output")
                .toString()).as("a job after the restart").contains("4321");
        // and: the sessions listed are hers alone; the untaken pooled pod was deleted, and the new gateway pools anew
        assertThat(sessionIds(alice)).containsExactly(taken);
        Await.until("the earlier gateway's pooled pod deleted", Duration.ofSeconds(60), () -> cluster.client().pods()
                .inNamespace("default").withName(untaken.getMetadata().getName()).get() == null);
        Pod pooledAgain = awaitWarmPooledPod(untaken.getMetadata().getName());
        assertThat(pooledAgain.getMetadata().getUid()).isNotEqualTo(untaken.getMetadata().getUid());
        assertThat(sessionIds(alice)).containsExactly(taken);
    }
}
