package dev.sparkgate.gateway.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayProcess;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade with drivers in pods: the gateway, its own process, gets SIGTERM (a rollout) while a Scala cell prints,
 * and a new gateway of the same instance starts with an empty work directory, against the same API server (the
 * emulated one runs in this JVM and outlives both). The API server is the only store: the new gateway finds the driver
 * pod by its labels and its session's record in the pod's annotation, and takes back the same pod; the cell finishes
 * with all of its output, statement ids continue, and a Livy client polling throughout sees nothing but refused
 * connections and {@code recovering} in between. A {@code kill -9} instead of SIGTERM (a crash) loses nothing either.
 */
class PodGatewayUpgradeTest {

    private static final String INSTANCE = "gw-upgrade";
    private static final Path IMAGES = Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
            .toAbsolutePath().resolve("images-pod-upgrade");
    private static final String PRINTING_CELL =
            "(1 to 30).foreach { i => println(s\"line $i\"); Thread.sleep(200) }";

    /** {@code how}: {@code stop} (SIGTERM, an upgrade) or {@code kill} ({@code kill -9}, a crash). */
    @ParameterizedTest
    @ValueSource(strings = {"stop", "kill"})
    void aGatewayStoppedOrKilledLeavesItsDriverPodsAndTheNextOneTakesThemBackMidCell(String how) throws Exception {
        EmulatedCluster cluster = EmulatedKubernetes.startForDriverPods("pod-" + how, IMAGES, false);
        Map<String, String> env = new HashMap<>(EmulatedKubernetes.gatewaySettings(cluster, INSTANCE, "41300-41399"));
        env.putAll(EmulatedKubernetes.podPlacementSettings());
        // long enough for the restart below, short enough that a failed test leaves nothing for long
        env.put("SPARKGATE_DRIVER_ORPHAN_TIMEOUT", "90s");
        int port = GatewayProcess.freePort();
        Path firstWork = GatewayProcess.freshWorkDir("pod-" + how + "-first");
        GatewayProcess first = GatewayProcess.start(firstWork, port, env, firstWork.resolve("gateway.log"));
        GatewayProcess second = null;
        LivyPoller poller = null;
        try {
            // given: a Scala session in its driver pod, with a variable, and a cell printing a line every 200 ms
            LivyClient livy = first.livy();
            int scala = livy.createIdleSession(Map.of("kind", "spark"));
            String podName = "sg-" + INSTANCE + "-s" + scala + "-driver";
            String podUid = driverPod(cluster, podName).getMetadata().getUid();
            assertThat(livy.run(scala, "spark", "val x = 41").path("state").asText()).isEqualTo("available");
            int printing = livy.post("/sessions/" + scala + "/statements", Map.of("code", PRINTING_CELL, "kind", "spark"))
                    .body().path("id").asInt();
            Await.until("the cell runs", Duration.ofSeconds(60), () -> "running".equals(
                    livy.get("/sessions/" + scala + "/statements/" + printing).body().path("state").asText()));
            poller = LivyPoller.start(livy, scala);

            // when: the gateway gets SIGTERM (or is killed), and a new one of the same instance starts with an empty
            // work directory
            if (how.equals("stop")) {
                first.stop();
            } else {
                first.kill();
            }
            assertThat(driverPod(cluster, podName)).as("the driver pod after the old gateway stopped").isNotNull();
            Path secondWork = GatewayProcess.freshWorkDir("pod-" + how + "-second");
            second = GatewayProcess.start(secondWork, port, env, secondWork.resolve("gateway.log"));

            // then: the session is back, idle, on the same pod
            LivyClient after = second.livy();
            after.awaitState(scala, "idle", Duration.ofSeconds(60));
            poller.stop();
            JsonNode cell = after.awaitStatement(scala, printing, Duration.ofSeconds(30));
            assertThat(cell.path("state").asText()).as("the cell that ran through the upgrade: %s", cell)
                    .isEqualTo("available");
            assertThat(cell.path("output").path("data").path("text/plain").asText().lines()
                    .filter(line -> line.startsWith("line ")).toList())
                    .as("every line of the cell, once, in order")
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList());
            assertThat(driverPod(cluster, podName).getMetadata().getUid()).as("the driver pod's uid").isEqualTo(podUid);

            // variables are intact, statement ids continue, and the next id is kept past this session's
            JsonNode next = after.run(scala, "spark", "x + 1");
            assertThat(next.path("id").asInt()).isEqualTo(printing + 1);
            assertThat(next.path("output").path("data").path("text/plain").asText()).contains("42");
            ConfigMap ids = cluster.client().configMaps().inNamespace("default").withName(INSTANCE + "-session-ids").get();
            assertThat(ids).as("the next session id, kept in the API server").isNotNull();
            assertThat(Integer.parseInt(ids.getData().get("next-id"))).isGreaterThan(scala);

            // a Livy client polling throughout saw only its session's states and refused connections
            List<String> seen = poller.seen();
            // (a killed gateway may also drop a request in flight: "connection lost")
            String allowed = how.equals("stop") ? "busy|idle|recovering|connection refused"
                    : "busy|idle|recovering|connection (refused|lost)";
            assertThat(seen).as("what a Livy client saw during the restart (%s)", how)
                    .isNotEmpty().allMatch(state -> state.matches(allowed))
                    .contains("connection refused");
            assertThat(after.delete("/sessions/" + scala).status()).isEqualTo(200);
            Await.until("the driver pod " + podName + " gone with its session", Duration.ofSeconds(60),
                    () -> driverPod(cluster, podName) == null);
        } finally {
            if (poller != null) {
                poller.stop();
            }
            first.close();
            if (second != null) {
                second.close();
            }
            cluster.close();
        }
    }

    private static Pod driverPod(EmulatedCluster cluster, String name) {
        return cluster.client().pods().inNamespace("default").withName(name).get();
    }
}
