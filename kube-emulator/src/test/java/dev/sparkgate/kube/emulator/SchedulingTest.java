package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node with a capacity: pods that do not fit wait, Unschedulable, until room frees, as the scheduler makes them. */
class SchedulingTest {

  private static final String IMAGE = TestPods.IMAGE;
  private static final String NODE = "small-node";

  private static EmulatedCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void startASmallCluster() {
    cluster = TestPods.clusterFor(SchedulingTest.class)
        .nodeName(NODE)
        .nodeCapacity("2", "1Gi")
        .start();
    client = cluster.client();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void theNodeIsServedWithItsCapacity() {
    List<Node> nodes = client.nodes().list().getItems();

    assertThat(nodes).singleElement().satisfies(node -> {
      assertThat(node.getMetadata().getName()).isEqualTo(NODE);
      assertThat(node.getStatus().getCapacity()).containsEntry("memory", new Quantity(String.valueOf(1L << 30)))
          .containsEntry("cpu", new Quantity("2000m"));
      assertThat(node.getStatus().getConditions())
          .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
    });
  }

  @Test
  void aPodThatDoesNotFitWaitsUnschedulableAndRunsWhenRoomFrees() {
    // given a running pod that requests most of the node's memory
    client.pods().resource(requesting("big", "700Mi", "500m")).create();
    Pod big = waitFor("big", p -> "Running".equals(p.getStatus().getPhase()));
    assertThat(big.getSpec().getNodeName()).isEqualTo(NODE);

    // when another asks for more memory than is left
    client.pods().resource(requesting("late", "500Mi", "500m")).create();

    // then it stays Pending, not scheduled, with the scheduler's reason, and nothing runs for it
    Pod late = waitFor("late", p -> p.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("PodScheduled") && c.getStatus().equals("False")));
    assertThat(late.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(late.getStatus().getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("Unschedulable");
      assertThat(c.getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient memory.");
    });
    assertThat(late.getSpec().getNodeName()).isNull();
    assertThat(cluster.kubelet().processOf("late")).isEmpty();
    assertThat(client.v1().events().list().getItems()).anySatisfy(event -> {
      assertThat(event.getInvolvedObject().getName()).isEqualTo("late");
      assertThat(event.getReason()).isEqualTo("FailedScheduling");
      assertThat(event.getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient memory.");
    });

    // and when the first pod goes, the waiting one is bound and runs
    client.pods().withName("big").delete();
    Pod running = waitFor("late", p -> "Running".equals(p.getStatus().getPhase()));
    assertThat(running.getSpec().getNodeName()).isEqualTo(NODE);
    client.pods().withName("late").delete();
  }

  @Test
  void requestsAreTheContainersSumOrTheLargestInitContainerAndLimitsStandForMissingRequests() {
    Pod pod = new PodBuilder(requesting("sized", "300Mi", "1"))
        .editSpec()
          .addNewInitContainer().withName("setup").withImage(IMAGE).withCommand("true")
            .withNewResources().addToLimits("memory", new Quantity("800Mi")).endResources().endInitContainer()
        .endSpec().build();

    NodeCapacity.Resources requests = NodeCapacity.requestsOf(pod);

    assertThat(requests.memoryBytes()).isEqualTo(800L << 20);
    assertThat(requests.milliCpu()).isEqualTo(1000);
  }

  private static Pod requesting(String name, String memory, String cpu) {
    return new PodBuilder(TestPods.shellPod(name, IMAGE, "while true; do sleep 0.1; done"))
        .editSpec().withTerminationGracePeriodSeconds(1L).editFirstContainer().withNewResources()
          .addToRequests("memory", new Quantity(memory)).addToRequests("cpu", new Quantity(cpu))
        .endResources().endContainer().endSpec().build();
  }

  private static Pod waitFor(String name, java.util.function.Predicate<Pod> condition) {
    return TestPods.waitFor(client, name, condition);
  }
}
