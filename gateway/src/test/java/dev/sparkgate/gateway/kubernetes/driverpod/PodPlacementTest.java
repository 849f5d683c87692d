package dev.sparkgate.gateway.kubernetes.driverpod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.testkit.OutsideTools;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each session's driver in a pod of its own, on the emulated cluster: the gateway creates the pod (the session's
 * image, Sparkgate's runtime copied in, the driver's own account), the driver dials back, and its Spark asks the
 * cluster for executors that the driver pod owns.
 */
class PodPlacementTest {

    private static final Path IMAGES = Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
            .toAbsolutePath().resolve("images-pod-placement");

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.pyspark).sessionField("numExecutors", 2)
            .requires(OutsideTools.PYSPARK)
            .onEmulatedCluster("gw-pods", "41200-41299",
                    () -> EmulatedKubernetes.startForDriverPods("pod-placement", IMAGES, false))
            .with(EmulatedKubernetes.podPlacementSettings());

    @Test
    void aPysparkSessionsDriverIsAPodThatOwnsItsTwoExecutorsAndTasksRunOnBoth() {
        EmulatedCluster cluster = gateway.cluster();
        LivyClient livy = gateway.livy();
        int session = gateway.session();
        String driverPod = "sg-gw-pods-s" + session + "-driver";
        List<Pod> executors = Await.value("two running executors of session " + session, Duration.ofSeconds(60),
                () -> cluster.client().pods().inNamespace("default").withLabel("spark-role", "executor")
                        .withLabel("sparkgate.dev/session", String.valueOf(session)).list().getItems(),
                pods -> pods.size() == 2 && pods.stream().allMatch(p -> "Running".equals(p.getStatus().getPhase())));

        JsonNode output = livy.run(session, "pyspark", "import os, time\n"
                + "sorted(set(sc.parallelize(range(200), 20).map(lambda _: (time.sleep(0.02), "
                + "os.environ.get('SPARK_EXECUTOR_POD_NAME'))[1]).collect()))").path("output");

        assertThat(output.path("status").asText()).as(output.toString()).isEqualTo("ok");
        assertThat(output.path("data").path("text/plain").asText()).as("executor pods seen by Python tasks")
                .contains(executors.get(0).getMetadata().getName(), executors.get(1).getMetadata().getName());
        Pod driver = cluster.client().pods().inNamespace("default").withName(driverPod).get();
        assertThat(driver).as("driver pod " + driverPod).isNotNull();
        assertThat(driver.getMetadata().getLabels()).containsEntry("spark-role", "driver")
                .containsEntry("sparkgate.dev/gateway", "gw-pods");
        assertThat(driver.getSpec().getContainers().get(0).getImage()).isEqualTo(EmulatedKubernetes.DRIVER_SPARK_IMAGE);
        assertThat(executors).allSatisfy(executor -> assertThat(executor.getMetadata().getOwnerReferences())
                .extracting(OwnerReference::getName).containsExactly(driverPod));
        JsonNode view = livy.get("/sessions/" + session).body();
        assertThat(view.path("driverPod").path("name").asText()).isEqualTo(driverPod);
        assertThat(view.path("driverPod").path("state").asText()).isEqualTo("Running");
        assertThat(view.path("executors").findValuesAsText("name")).containsExactlyInAnyOrderElementsOf(
                executors.stream().map(p -> p.getMetadata().getName()).toList());
    }
}
