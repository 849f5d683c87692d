package dev.sparkgate.gateway.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a cluster the driver runtime follows the executor image: a Spark 4.1 image gets the 4.1 runtime and its tasks run
 * on executors whose classpath is the image's own Spark jars; a 3.5.6 image gets 3.5; a 3.4 image is refused.
 */
class RuntimeByImageTest {

    private static final Path WORK = Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
            .toAbsolutePath();
    private static final String SPARK41 = "sparkgate-test/spark:4.1.1";
    private static final String SPARK34 = "sparkgate-test/spark34:3.4.1";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession()
            .onEmulatedCluster("gw-runtimes", "41400-41499", RuntimeByImageTest::clusterWithBothLines);

    private static EmulatedCluster clusterWithBothLines() {
        Path images = WORK.resolve("runtime-images");
        EmulatedKubernetes.spark41Image(images, "sparkgate-test/spark", "4.1.1");
        EmulatedKubernetes.image(images, "sparkgate-test/spark34", "3.4.1", "3.4.1", "3.11.9", true, false);
        return EmulatedKubernetes.start("runtimes", images, true);
    }

    private static LivyClient livy() {
        return gateway.livy();
    }

    private static int idleSessionOn(String image) {
        return livy().createIdleSession(Map.of("kind", "spark", "conf", Map.of("spark.kubernetes.container.image", image)));
    }

    private static String scala(int session, String code) {
        JsonNode output = livy().run(session, "spark", code).path("output");
        assertThat(output.path("status").asText()).as(output.toString()).isEqualTo("ok");
        return output.path("data").path("text/plain").asText();
    }

    @Test
    void aSpark41ImageGetsThe41RuntimeAndItsTasksRunOnTheImagesSpark() {
        // given a session whose executors run a Spark 4.1.1 image
        int session = idleSessionOn(SPARK41);
        JsonNode view = livy().get("/sessions/" + session).body();
        assertThat(view.path("versions").path("driver").path("sparkVersion").asText()).isEqualTo("4.1.1");
        assertThat(view.path("conf").path("sparkgate.sparkVersion").asText()).isEqualTo("4.1");
        assertThat(view.path("driver").path("sparkVersion").asText()).isEqualTo("4.1.1");

        // when a cell defines a class and a job uses it in its tasks
        scala(session, "case class Reading(value: Int)");
        String sum = scala(session, "sc.parallelize(1 to 4, 2).map(i => Reading(i * 10)).map(_.value).reduce(_ + _)");
        // (what the task sees: its Spark's version, and where its spark-core and any Sparkgate jar come from)
        String where = scala(session, "sc.parallelize(1 to 1, 1).map { _ =>\n"
                + "  val jars = System.getProperty(\"java.class.path\").split(java.io.File.pathSeparator)\n"
                + "  (org.apache.spark.SPARK_VERSION, jars.filter(_.contains(\"spark-core\")).mkString(\",\"),"
                + " jars.count(j => new java.io.File(j).getName.startsWith(\"sparkgate-\")))\n"
                + "}.first");

        // then the tasks ran on an executor of the image, on the image's Spark 4.1.1 jars, and loaded the cell's class
        assertThat(sum).contains("Int = 100");
        assertThat(where).contains("(4.1.1,")
                .contains("runtime-images/sparkgate-test/spark/4.1.1/rootfs/opt/spark/jars/spark-core_2.13-4.1.1.jar,0)");
        assertThat(gateway.cluster().client().pods().inNamespace("default").withLabel("spark-role", "executor")
                .list().getItems()).anySatisfy(pod ->
                assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(SPARK41));
        livy().delete("/sessions/" + session);
    }

    @Test
    void aSpark356ImageGetsThe35Runtime() {
        int session = idleSessionOn(EmulatedKubernetes.SPARK_IMAGE);

        JsonNode view = livy().get("/sessions/" + session).body();
        assertThat(view.path("driver").path("sparkVersion").asText()).isEqualTo("3.5.6");
        assertThat(view.path("conf").path("sparkgate.sparkVersion").asText()).isEqualTo("3.5");
        assertThat(scala(session, "sc.parallelize(1 to 4, 2).map(_ * 10).reduce(_ + _)")).contains("Int = 100");
        livy().delete("/sessions/" + session);
    }

    @Test
    void aSpark34ImageIsRefusedNamingTheImageItsSparkAndTheRuntimes() {
        int session = livy().post("/sessions", Map.of("kind", "spark",
                "conf", Map.of("spark.kubernetes.container.image", SPARK34))).body().path("id").asInt();

        JsonNode refused = livy().awaitState(session, "error", Duration.ofSeconds(60));

        assertThat(refused.path("versions").path("summary").asText()).contains(SPARK34, "Spark 3.4.1",
                "Spark 3.5.6 and 4.1.1");
        assertThat(refused.path("driver").isNull()).isTrue();
    }
}
