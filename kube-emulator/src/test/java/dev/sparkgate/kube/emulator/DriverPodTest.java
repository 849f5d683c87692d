package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Spark driver in a pod, as pod placement will run one: its own service account held to the Role the issue gives
 * drivers, the downward API for its name and IP, executors that Spark makes owned by the driver pod, and the garbage
 * collector taking them when the driver pod is deleted.
 */
class DriverPodTest {

  private static EmulatedCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void startClusterWithTheDriversRole() {
    cluster = TestPods.clusterFor(DriverPodTest.class).start();
    client = cluster.client();
    // What Spark's driver needs, and no more: executor pods, its config map, its own pod.
    client.rbac().roles().resource(new RoleBuilder().withNewMetadata().withName("sparkgate-driver").endMetadata()
        .addNewRule().withApiGroups("").withResources("pods").withVerbs("create", "get", "list", "watch", "delete")
        .endRule()
        .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("create", "delete").endRule()
        .build()).create();
    client.rbac().roleBindings().resource(TestPods.roleBinding("sparkgate-driver", "sparkgate-driver")).create();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void aDriverPodRunsAJobOnExecutorsItOwnsAndTheyGoWithIt() {
    // given a driver pod on its own service account, told who it is by the downward API
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx768m"));
    command.addAll(sparkJavaOptions());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), DriverInPodMain.class.getName()));
    Pod driver = new PodBuilder(TestPods.shellPod("session-driver", "sparkgate/spark:3.5.6", ""))
        .editSpec().withServiceAccountName("sparkgate-driver").withTerminationGracePeriodSeconds(5L)
          .editFirstContainer().withCommand(command).withArgs()
            .addToEnv(PodSetUpTest.fieldRef("POD_NAME", "metadata.name"))
            .addToEnv(PodSetUpTest.fieldRef("POD_NAMESPACE", "metadata.namespace"))
            .addToEnv(PodSetUpTest.fieldRef("POD_IP", "status.podIP"))
          .endContainer()
        .endSpec().build();

    // when it runs
    client.pods().resource(driver).create();
    String uid = TestPods.waitFor(client, "session-driver", TestPods.inPhase("Running")).getMetadata().getUid();

    // then its job ran on an executor pod that Spark made owned by the driver pod
    Await.until(Duration.ofSeconds(120), "the driver pod's job counted 1000 (its log: see the pod)",
        () -> client.pods().withName("session-driver").getLog().contains("counted 1000"));
    List<Pod> executors = client.pods().withLabel("spark-role", "executor").list().getItems();
    assertThat(executors).isNotEmpty().allSatisfy(executor ->
        assertThat(executor.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(uid)));
    assertThat(client.pods().withName("session-driver").getLog()).doesNotContain("Forbidden");

    // and when the driver pod is deleted, its executors go with it
    client.pods().withName("session-driver").delete();
    Await.until(Duration.ofSeconds(30), "the driver pod and its executor pods gone",
        () -> client.pods().list().getItems().isEmpty());
  }

  /** The module openings Spark needs on Java 17, as this test JVM got them from the build. */
  private static List<String> sparkJavaOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(option -> option.startsWith("--add-opens") || option.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
            || option.startsWith("-Djdk.reflect"))
        .toList();
  }
}
