package dev.sparkgate.gateway.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import dev.sparkgate.testkit.OutsideTools;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The version check against images the emulated kubelet can run: each fixture image declares its Spark and Python
 * through small stand-ins for spark-submit and python3, and the gateway learns them through the same probe pod as on
 * a real cluster.
 */
class VersionCheckTest {

    /** A second driver Python of another minor version, from Debian as CI installs it: PyPy speaks Python 3.9. */
    private static final Path PYTHON_39 = Path.of("/usr/bin/pypy3");
    private static final Path WORK = Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
            .toAbsolutePath();
    private static final Path CATALOG = WORK.resolve("image-catalog.txt");

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession()
            .onEmulatedCluster("gw-versions", "41300-41399", VersionCheckTest::clusterOfFixtureImages)
            .with(Map.of("SPARKGATE_IMAGE_CATALOG", CATALOG.toString(), "SPARKGATE_PROBE_TIMEOUT", "4s",
                    "SPARKGATE_DRIVER_PYTHONS", "/usr/bin/python3," + PYTHON_39));
    private static EmulatedCluster cluster;
    private static LivyClient livy;
    private static final AtomicInteger probePods = new AtomicInteger();
    private static Watch probeWatch;

    /** A strict cluster (only declared images run) of the images below, and the operator's catalog beside it. */
    private static EmulatedCluster clusterOfFixtureImages() {
        Path images = WORK.resolve("version-images");
        EmulatedKubernetes.image(images, "sparkgate-test/spark-py311", "3.5.6", "3.5.6", "3.11.9", true, false);
        EmulatedKubernetes.image(images, "sparkgate-test/spark-py39", "3.5.6", "3.5.6", "3.9.18", true, false);
        EmulatedKubernetes.image(images, "sparkgate-test/spark-py38", "3.5.0", "3.5.0", "3.8.10", true, false);
        EmulatedKubernetes.image(images, "sparkgate-test/spark34", "3.4.1", "3.4.1", "3.11.9", true, false);
        EmulatedKubernetes.image(images, "sparkgate-test/slow", "1.0", "3.5.6", "3.11.9", true, true);
        EmulatedKubernetes.image(images, "sparkgate-test/unpullable", "1.0", "3.5.6", "3.11.9", false, false);
        try {
            Files.writeString(CATALOG, "# declared by the operator: never probed\n"
                    + "sparkgate-test/cataloged:9.9 spark=3.5.6 python=3.11.4\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return EmulatedKubernetes.start("versions", images, true);
    }

    @BeforeAll
    static void watchProbePods() {
        cluster = gateway.cluster();
        livy = gateway.livy();
        probeWatch = cluster.client().pods().inNamespace("default").withLabel("sparkgate.dev/role", "image-probe")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                        if (action == Action.ADDED) {
                            probePods.incrementAndGet();
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
    }

    @AfterAll
    static void stopWatching() {
        // null where the fixture skipped the class for want of a tool
        if (probeWatch != null) {
            probeWatch.close();
        }
    }

    private static JsonNode versions(String image, String kind) {
        return livy.get("/versions?image=" + image + "&kind=" + kind).body();
    }

    @Test
    void matchingVersionsPassAndASecondAskIsAnsweredFromTheCache() {
        JsonNode first = versions("sparkgate-test/spark-py311:3.5.6", "pyspark");
        int probesAfterFirst = probePods.get();

        JsonNode second = versions("sparkgate-test/spark-py311:3.5.6", "pyspark");

        assertThat(first.path("verdict").asText()).isEqualTo("ok");
        assertThat(first.path("image").path("sparkVersion").asText()).isEqualTo("3.5.6");
        assertThat(first.path("image").path("pythonVersion").asText()).isEqualTo("3.11.9");
        assertThat(first.path("image").path("source").asText()).isEqualTo("probe");
        assertThat(first.path("driver").path("pythonExecutable").asText()).isEqualTo("/usr/bin/python3");
        assertThat(second).isEqualTo(first);
        assertThat(probePods.get()).as("no second probe pod").isEqualTo(probesAfterFirst);
        awaitNoProbePods();
    }

    @Test
    void aSparkMinorMismatchPutsTheSessionInErrorBeforeAnyExecutorIsAskedFor() {
        int id = livy.post("/sessions", Map.of("kind", "spark", "numExecutors", 1,
                "conf", Map.of("spark.kubernetes.container.image", "sparkgate-test/spark34:3.4.1"))).body().path("id").asInt();

        JsonNode session = livy.awaitState(id, "error", Duration.ofSeconds(30));

        assertThat(session.path("versions").path("verdict").asText()).isEqualTo("refused");
        assertThat(session.path("versions").path("summary").asText()).contains("Spark 3.4.1", "Spark 3.5.6");
        assertThat(session.path("log").toString()).contains("the session was not started");
        assertThat(session.path("driver").isNull()).isTrue();
        assertThat(cluster.client().pods().inNamespace("default").withLabel("spark-role", "executor")
                .withLabel("sparkgate.dev/session", String.valueOf(id)).list().getItems()).isEmpty();
        livy.delete("/sessions/" + id);
    }

    @Test
    void aPythonMismatchRefusesPysparkButScalaIsFine() {
        JsonNode pyspark = versions("sparkgate-test/spark-py38:3.5.0", "pyspark");
        JsonNode scala = versions("sparkgate-test/spark-py38:3.5.0", "spark");

        assertThat(pyspark.path("verdict").asText()).isEqualTo("refused");
        assertThat(pyspark.path("summary").asText()).contains("has Python 3.8.10", "configure a 3.8 driver Python");
        assertThat(scala.path("verdict").asText()).isEqualTo("warning");
        assertThat(scala.path("notes").toString()).contains("patch versions differ", "Python versions were not compared");
    }

    @Test
    void theDriverPythonOfTheImagesVersionIsChosen() {
        OutsideTools.PYPY3.require();

        JsonNode verdict = versions("sparkgate-test/spark-py39:3.5.6", "pyspark");

        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("ok");
        assertThat(verdict.path("driver").path("pythonExecutable").asText()).isEqualTo(PYTHON_39.toString());
        assertThat(verdict.path("driver").path("pythonsAvailable")).hasSize(2);
    }

    @Test
    void aCatalogEntryIsUsedWithoutAProbe() {
        int before = probePods.get();

        JsonNode verdict = versions("sparkgate-test/cataloged:9.9", "pyspark");

        assertThat(verdict.path("image").path("source").asText()).as(verdict.toString()).isEqualTo("catalog");
        assertThat(verdict.path("verdict").asText()).isEqualTo("ok");
        assertThat(probePods.get()).isEqualTo(before);
    }

    @Test
    void aProbeThatHangsOrAnImageThatCannotBePulledGivesAClearError() {
        LivyClient.Reply slow = livy.get("/versions?image=sparkgate-test/slow:1.0&kind=spark");
        LivyClient.Reply unpullable = livy.get("/versions?image=sparkgate-test/unpullable:1.0&kind=spark");

        assertThat(slow.status()).isEqualTo(504);
        assertThat(slow.msg()).contains("did not finish within 4 s", "SPARKGATE_IMAGE_CATALOG");
        assertThat(unpullable.status()).isEqualTo(502);
        assertThat(unpullable.msg()).contains("cannot be pulled", "ErrImagePull");
        awaitNoProbePods();
    }

    private static void awaitNoProbePods() {
        Await.until("no probe pod left", Duration.ofSeconds(10), () -> cluster.client().pods().inNamespace("default")
                .withLabel("sparkgate.dev/role", "image-probe").list().getItems().isEmpty());
    }

    @Test
    void anExpertMayTurnARefusalIntoAWarning() {
        int id = livy.post("/sessions", Map.of("kind", "sql", "numExecutors", 1, "conf", Map.of(
                "spark.kubernetes.container.image", "sparkgate-test/spark34:3.4.1", "sparkgate.versionCheck", "warn")))
                .body().path("id").asInt();

        JsonNode session = livy.awaitState(id, "idle", Duration.ofSeconds(120));

        assertThat(session.path("versions").path("verdict").asText()).isEqualTo("overridden");
        assertThat(session.path("conf").has("sparkgate.versionCheck")).as("never passed to Spark").isFalse();
        livy.delete("/sessions/" + id);
    }
}
