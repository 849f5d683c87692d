package dev.sparkgate.gateway.kubernetes.driverpod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A driver pod that cannot serve its session (no node has room, its image cannot be pulled, it runs out of memory,
 * its process dies): the session ends with the cause Kubernetes reported, soon, and nothing of it is left.
 */
class PodFailuresTest {

    private static final Path WORK = Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
            .toAbsolutePath();
    private static final Path IMAGES = WORK.resolve("images-pod-failures");
    private static final Path CATALOG = WORK.resolve("catalog-pod-failures");
    private static final String GONE_IMAGE = "sparkgate-test/gone:3.5.6";
    /** Spark 3.5.6 on Java 11: not declared in the catalog, so the gateway's probe pod learns its Java. */
    private static final String JAVA11_IMAGE = "sparkgate-test/java11:3.5.6";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession()
            .onEmulatedCluster("gw-podfail", "41300-41399", () -> {
                // Declared in the catalog, so the version check passes and the driver pod itself meets the pull.
                EmulatedKubernetes.image(IMAGES, "sparkgate-test/gone", "3.5.6", "3.5.6", "3.11.2", false, false);
                EmulatedKubernetes.image(IMAGES, "sparkgate-test/java11", "3.5.6", "3.5.6", "3.11.2", true, false);
                EmulatedKubernetes.javaOf(IMAGES, "sparkgate-test/java11", "3.5.6", "11.0.22");
                try {
                    Files.writeString(CATALOG, GONE_IMAGE + " spark=3.5.6 python=3.11.2\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return EmulatedKubernetes.startForDriverPods("pod-failures", IMAGES, false);
            })
            .with(EmulatedKubernetes.podPlacementSettings()).with("SPARKGATE_IMAGE_CATALOG", CATALOG.toString())
            // Above the emulated node's 12Gi, so that the operator's limit lets a driver through that no node takes.
            .with("SPARKGATE_DRIVER_MAX_MEMORY", "20g").with("SPARKGATE_DRIVER_MAX_CORES", "4");

    private static int create(Map<String, Object> request) {
        LivyClient.Reply created = gateway.livy().post("/sessions", request);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.body().path("id").asInt();
    }

    private static List<Pod> podsOf(int session) {
        return gateway.cluster().client().pods().inNamespace("default")
                .withLabel("sparkgate.dev/session", String.valueOf(session)).list().getItems();
    }

    private static void awaitNothingLeftOf(int session) {
        Await.until("no pod or Secret of session " + session + " left", Duration.ofSeconds(10),
                () -> podsOf(session).isEmpty() && gateway.cluster().client().secrets().inNamespace("default")
                        .withLabel("sparkgate.dev/session", String.valueOf(session)).list().getItems().isEmpty());
    }

    /** The name of session {@code session}'s driver pod, once its process runs. */
    private static String awaitDriverRunning(int session) {
        String driverPod = "sg-gw-podfail-s" + session + "-driver";
        Await.until("the driver pod of session " + session + " running", Duration.ofSeconds(60),
                () -> gateway.cluster().kubelet().processOf(driverPod).isPresent());
        return driverPod;
    }

    /** The session's state once it has one of {@code states}, waiting no longer than {@code timeout}. */
    private static JsonNode awaitEnd(int session, Duration timeout) {
        return Await.value("session " + session + " ended", timeout, Duration.ofMillis(100),
                () -> gateway.livy().get("/sessions/" + session).body(),
                s -> s.path("state").asText().matches("error|dead"));
    }

    @Test
    void anImageWhoseJavaIsOlderThanTheDriverRuntimeNeedsIsRefusedBeforeAnyDriverPod() {
        int session = create(Map.of("kind", "spark", "conf", Map.of("spark.kubernetes.container.image", JAVA11_IMAGE)));

        JsonNode ended = awaitEnd(session, Duration.ofSeconds(60));

        assertThat(ended.path("state").asText()).isEqualTo("error");
        assertThat(ended.path("versions").path("verdict").asText()).isEqualTo("refused");
        assertThat(ended.path("versions").path("image").path("javaVersion").asText()).isEqualTo("11.0.22");
        assertThat(ended.path("versions").path("summary").asText()).contains("Image " + JAVA11_IMAGE
                + " has Java 11.0.22", "driver runtime needs Java 17 or later", "SPARKGATE_DRIVER_IMAGE");
        assertThat(gateway.livy().get("/versions?image=" + JAVA11_IMAGE + "&kind=spark").body()
                .path("summary").asText()).contains("has Java 11.0.22");
        awaitNothingLeftOf(session);
    }

    @Test
    void aDriverLargerThanAnyNodeFailsWithTheSchedulersReasonAndLeavesNoPod() {
        int session = create(Map.of("kind", "spark", "driverMemory", "16g"));

        JsonNode ended = awaitEnd(session, Duration.ofSeconds(60));

        assertThat(ended.path("state").asText()).isEqualTo("error");
        assertThat(ended.path("log").toString()).contains("no node can take the driver pod", "Insufficient memory",
                "driverMemory");
        awaitNothingLeftOf(session);
    }

    @Test
    void anImageThatCannotBePulledFailsNamingItAndLeavesNoPod() {
        int session = create(Map.of("kind", "spark", "conf", Map.of("spark.kubernetes.container.image", GONE_IMAGE)));

        JsonNode ended = awaitEnd(session, Duration.ofSeconds(60));

        assertThat(ended.path("state").asText()).isEqualTo("error");
        assertThat(ended.path("log").toString()).contains(GONE_IMAGE, "cannot be pulled", "ErrImagePull");
        awaitNothingLeftOf(session);
    }

    @Test
    void aDriverOverItsMemoryLimitIsOomKilledAndTheSessionSaysToRaiseDriverMemory() {
        // Spark's overhead is the room beside the heap; with 1 MiB of it the JVM outgrows its pod at once.
        int session = create(Map.of("kind", "spark", "driverMemory", "64m",
                "conf", Map.of("spark.driver.memoryOverhead", "1m")));

        JsonNode ended = awaitEnd(session, Duration.ofSeconds(90));

        assertThat(ended.path("state").asText()).isEqualTo("error");
        assertThat(ended.path("log").toString()).contains("the driver ran out of memory", "raise driverMemory");
        awaitNothingLeftOf(session);
    }

    @Test
    void aKilledDriverEndsItsSessionWithTheExitCauseWithinFiveSecondsAndItsExecutorsGoWithItsPod() {
        EmulatedCluster cluster = gateway.cluster();
        int session = create(Map.of("kind", "spark", "numExecutors", 1));
        gateway.livy().awaitState(session, "idle", Duration.ofSeconds(180));
        String driverPod = "sg-gw-podfail-s" + session + "-driver";
        Await.until("an executor of session " + session, Duration.ofSeconds(60),
                () -> podsOf(session).stream().anyMatch(p -> "executor".equals(p.getMetadata().getLabels().get("spark-role"))));

        cluster.kubelet().processOf(driverPod).orElseThrow().destroyForcibly();

        JsonNode ended = awaitEnd(session, Duration.ofSeconds(5));
        assertThat(ended.path("state").asText()).isEqualTo("dead");
        assertThat(ended.path("log").toString()).contains("exited with code 137");
        awaitNothingLeftOf(session);
    }

    @Test
    void anEvictedDriverPodEndsItsSessionWithKubernetesMessageAndLeavesNoPod() {
        EmulatedCluster cluster = gateway.cluster();
        int session = create(Map.of("kind", "spark"));
        String driverPod = awaitDriverRunning(session);

        assertThat(cluster.evict(driverPod, "The node was low on resource: memory.")).isTrue();

        JsonNode ended = awaitEnd(session, Duration.ofSeconds(10));
        assertThat(ended.path("log").toString()).contains("evicted by Kubernetes", "low on resource: memory");
        awaitNothingLeftOf(session);
    }

    @Test
    void aDriverPodDeletedBySomeoneElseEndsItsSessionSayingSo() {
        EmulatedCluster cluster = gateway.cluster();
        int session = create(Map.of("kind", "spark"));
        String driverPod = awaitDriverRunning(session);

        cluster.client().pods().inNamespace("default").withName(driverPod).delete();

        // the pod's graceful deletion (SIGTERM, then its grace period) comes first
        JsonNode ended = awaitEnd(session, Duration.ofSeconds(45));
        assertThat(ended.path("log").toString()).contains("was deleted, not by this gateway");
        awaitNothingLeftOf(session);
    }

    @Test
    void aDriverThatCannotBeReadOrExceedsTheOperatorsLimitsIsRefusedNamingTheLimitAndNothingIsCreated() {
        LivyClient livy = gateway.livy();
        int podsBefore = gateway.cluster().client().pods().inNamespace("default").list().getItems().size();

        LivyClient.Reply unreadable = livy.post("/sessions", Map.of("kind", "spark", "driverMemory", "lots"));
        LivyClient.Reply tooLarge = livy.post("/sessions", Map.of("kind", "spark", "driverMemory", "24g"));
        LivyClient.Reply tooManyCores = livy.post("/sessions", Map.of("kind", "spark", "driverCores", 8));
        LivyClient.Reply template = livy.post("/sessions", Map.of("kind", "spark",
                "conf", Map.of("spark.kubernetes.driver.podTemplateFile", "/etc/passwd")));

        assertThat(unreadable.status()).isEqualTo(400);
        assertThat(unreadable.msg()).contains("driverMemory", "'lots'", "2g");
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(tooLarge.msg()).contains("20480 MiB", "SPARKGATE_DRIVER_MAX_MEMORY");
        assertThat(tooManyCores.status()).isEqualTo(400);
        assertThat(tooManyCores.msg()).contains("limit of 4", "SPARKGATE_DRIVER_MAX_CORES");
        assertThat(template.status()).isEqualTo(400);
        assertThat(template.msg()).contains("'spark.kubernetes.driver.podTemplateFile'");
        assertThat(gateway.cluster().client().pods().inNamespace("default").list().getItems())
                .as("pods after the refusals").hasSizeLessThanOrEqualTo(podsBefore);
    }

    @Test
    void aDriverWhoseAccountMayNotWatchPodsFailsBeforeSparkStartsNamingTheVerb() {
        EmulatedCluster cluster = gateway.cluster();
        cluster.client().rbac().roles().inNamespace("default").withName("sparkgate-driver").edit(role -> {
            role.getRules().forEach(rule -> rule.getVerbs().remove("watch"));
            return role;
        });
        try {
            int session = create(Map.of("kind", "spark"));

            JsonNode ended = awaitEnd(session, Duration.ofSeconds(90));

            assertThat(ended.path("state").asText()).isEqualTo("error");
            assertThat(ended.path("log").toString()).contains("the driver's service account may not watch pods",
                    "driver-role.yaml").doesNotContain("Spark could not start");
            awaitNothingLeftOf(session);
        } finally {
            EmulatedKubernetes.driverAccount(cluster, "default");
        }
    }
}
