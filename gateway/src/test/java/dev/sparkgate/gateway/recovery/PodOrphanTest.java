package dev.sparkgate.gateway.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayProcess;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing leaks on pod placement when no gateway comes back. The gateway is killed and none starts again for longer
 * than a short {@code SPARKGATE_DRIVER_ORPHAN_TIMEOUT}: one driver pod ends on its own (Spark stopped, its executor
 * gone), the other is deleted meanwhile ({@code kubectl delete}), and the API server's garbage collector takes its
 * Secret and executor with it, since both are owned by the pod. The gateway started later shows the first session
 * {@code dead} with that cause and deletes its completed pod, whose Secret follows; of the other session nothing is
 * left to find, and its id is not handed out again. Then no pod, Secret or executor of the instance is left.
 */
class PodOrphanTest {

    private static final String INSTANCE = "gw-podorphan";
    private static final Path IMAGES = Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
            .toAbsolutePath().resolve("images-pod-orphan");
    private static final Map<String, Object> ONE_EXECUTOR =
            Map.of("kind", "sql", "conf", Map.of("spark.executor.instances", "1"));

    @Test
    void driverPodsLeftAloneEndAndTheNextGatewayLeavesNothingOfThem() throws Exception {
        EmulatedCluster cluster = EmulatedKubernetes.startForDriverPods("pod-orphan", IMAGES, false);
        Map<String, String> env = new HashMap<>(EmulatedKubernetes.gatewaySettings(cluster, INSTANCE, "41700-41799"));
        env.putAll(EmulatedKubernetes.podPlacementSettings());
        env.put("SPARKGATE_DRIVER_ORPHAN_TIMEOUT", "6s");
        int port = GatewayProcess.freePort();
        Path work = GatewayProcess.freshWorkDir("pod-orphan");
        GatewayProcess first = GatewayProcess.start(work, port, env, work.resolve("gateway.log"));
        GatewayProcess second = null;
        try {
            // given: two sessions, each a driver pod with an executor, each pod owning its Secret and its executor
            LivyClient livy = first.livy();
            int ended = livy.post("/sessions", ONE_EXECUTOR).body().path("id").asInt();
            int vanished = livy.post("/sessions", ONE_EXECUTOR).body().path("id").asInt();
            for (int session : List.of(ended, vanished)) {
                livy.awaitState(session, "idle", Duration.ofMinutes(4));
                Await.until("a running executor of session " + session, Duration.ofSeconds(90),
                        () -> pods(cluster, session, "executor").stream()
                                .anyMatch(p -> "Running".equals(p.getStatus().getPhase())));
                List<HasMetadata> owned = new ArrayList<>(pods(cluster, session, "executor"));
                owned.addAll(secrets(cluster, session));
                assertThat(owned).as("session %d's Secret and executor", session).hasSize(2)
                        .allSatisfy(object -> assertThat(object.getMetadata().getOwnerReferences())
                                .extracting(OwnerReference::getName).containsExactly(driverPod(session)));
            }

            // when: the gateway is killed, none comes back within the orphan timeout, and one driver pod is deleted
            first.kill();
            cluster.client().pods().inNamespace("default").withName(driverPod(vanished)).delete();
            Pod completed = Await.value("driver pod " + driverPod(ended) + " ends on its own", Duration.ofSeconds(90),
                    () -> cluster.client().pods().inNamespace("default").withName(driverPod(ended)).get(),
                    pod -> pod != null && "Succeeded".equals(pod.getStatus().getPhase()));
            assertThat(cluster.client().pods().inNamespace("default").withName(completed.getMetadata().getName())
                    .inContainer("spark-kubernetes-driver").getLog()).contains("no gateway took this driver back within 6 s");
            Await.until("session " + ended + "'s executor stopped with Spark, and session " + vanished
                            + "'s pod, Secret and executor collected", Duration.ofSeconds(60),
                    () -> pods(cluster, ended, "executor").isEmpty() && pods(cluster, vanished, "driver").isEmpty()
                            && pods(cluster, vanished, "executor").isEmpty() && secrets(cluster, vanished).isEmpty());
            assertThat(secrets(cluster, ended)).as("the completed pod's Secret, until the pod goes").hasSize(1);

            // then: a gateway started later shows the ended session dead, with the cause, and removes its pod and Secret
            second = GatewayProcess.start(work, port, env, work.resolve("gateway.log"));
            LivyClient after = second.livy();
            JsonNode dead = after.awaitState(ended, "dead", Duration.ofSeconds(30));
            assertThat(dead.path("log").toString())
                    .contains("the driver pod " + driverPod(ended) + " ended (Succeeded) while no gateway watched it");
            Await.until("no pod or Secret of instance " + INSTANCE + " is left", Duration.ofSeconds(60),
                    () -> cluster.client().pods().inNamespace("default").withLabel("sparkgate.dev/gateway", INSTANCE)
                            .list().getItems().isEmpty()
                            && cluster.client().secrets().inNamespace("default")
                            .withLabel("sparkgate.dev/gateway", INSTANCE).list().getItems().isEmpty());
            // the vanished pod took its session's record along: the session is unknown, and its id stays used
            assertThat(after.get("/sessions/" + vanished).status()).isEqualTo(404);
            String nextId = cluster.client().configMaps().inNamespace("default").withName(INSTANCE + "-session-ids")
                    .get().getData().get("next-id");
            assertThat(Integer.parseInt(nextId)).as("the next session id").isGreaterThan(vanished);
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
            cluster.close();
        }
    }

    private static String driverPod(int session) {
        return "sg-" + INSTANCE + "-s" + session + "-driver";
    }

    private static List<Pod> pods(EmulatedCluster cluster, int session, String role) {
        return cluster.client().pods().inNamespace("default").withLabel("spark-role", role)
                .withLabel("sparkgate.dev/session", String.valueOf(session)).list().getItems();
    }

    private static List<io.fabric8.kubernetes.api.model.Secret> secrets(EmulatedCluster cluster, int session) {
        return cluster.client().secrets().inNamespace("default").withLabel("sparkgate.dev/gateway", INSTANCE)
                .withLabel("sparkgate.dev/session", String.valueOf(session)).list().getItems();
    }
}
