package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Container and pod statuses as a real kubelet reports them when things go wrong. */
class ContainerStatusTest {

  private static final String IMAGE = TestPods.IMAGE;

  private static EmulatedCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void startCluster() {
    cluster = TestPods.clusterFor(ContainerStatusTest.class)
        .start();
    client = cluster.client();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void aContainerOverItsMemoryLimitIsOomKilled() {
    // given a container limited to 64 MiB that holds ~150 MB in a shell variable
    Pod pod = new PodBuilder(TestPods.shellPod("greedy", IMAGE,
        "x=$(head -c 150000000 /dev/zero | tr '\\0' a); sleep 30"))
        .editSpec().editFirstContainer().withNewResources().addToLimits("memory", new Quantity("64Mi"))
        .endResources().endContainer().endSpec().build();

    // when it runs
    client.pods().resource(pod).create();
    Pod failed = waitFor("greedy", p -> "Failed".equals(p.getStatus().getPhase()));

    // then the node killed it as the OOM killer does, and says so
    ContainerStateTerminated terminated = failed.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getReason()).isEqualTo("OOMKilled");
    assertThat(terminated.getExitCode()).isEqualTo(137);
  }

  @Test
  void aContainerWithinItsLimitRunsToCompletion() {
    Pod pod = new PodBuilder(TestPods.shellPod("modest", IMAGE, "x=$(head -c 1000000 /dev/zero | tr '\\0' a); exit 0"))
        .editSpec().editFirstContainer().withNewResources().addToLimits("memory", new Quantity("64Mi"))
        .endResources().endContainer().endSpec().build();

    client.pods().resource(pod).create();
    Pod done = waitFor("modest", p -> "Succeeded".equals(p.getStatus().getPhase()));

    assertThat(done.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("Completed");
  }

  @Test
  void anUnpullableImageGoesFromErrImagePullToImagePullBackOff() throws Exception {
    // given a watch on a pod whose image cannot be pulled
    List<String> reasons = new CopyOnWriteArrayList<>();
    try (Watch watch = client.pods().withName("no-image").watch(waitingReasons(reasons))) {

      // when it is created
      client.pods().resource(TestPods.shellPod("no-image", "sparkgate-test/unpullable:1.0", "true")).create();

      // then the kubelet reports ErrImagePull, then backs off, as a real one does, and the pod stays Pending
      Await.until(Duration.ofSeconds(10), "ImagePullBackOff after ErrImagePull",
          () -> reasons.indexOf("ErrImagePull") >= 0 && reasons.indexOf("ImagePullBackOff") > reasons.indexOf(
              "ErrImagePull"));
    }
    Pod pod = client.pods().withName("no-image").get();
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
        .contains("sparkgate-test/unpullable:1.0");
  }

  @Test
  void anEvictedPodFailsWithReasonEvictedAndItsProcessIsGone() {
    // given a running pod
    client.pods().resource(TestPods.shellPod("evictee", IMAGE, "while true; do sleep 0.1; done")).create();
    waitFor("evictee", p -> "Running".equals(p.getStatus().getPhase()));
    ProcessHandle process = cluster.kubelet().processOf("evictee").orElseThrow();

    // when the node evicts it
    assertThat(cluster.evict("evictee", "The node was low on resource: memory.")).isTrue();

    // then it is Failed, Evicted, with the message, and its process is gone; the pod stays, as evicted pods do
    Pod evicted = waitFor("evictee", p -> "Failed".equals(p.getStatus().getPhase()));
    assertThat(evicted.getStatus().getReason()).isEqualTo("Evicted");
    assertThat(evicted.getStatus().getMessage()).isEqualTo("The node was low on resource: memory.");
    assertThat(evicted.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode())
        .isEqualTo(137);
    assertThat(process.isAlive()).isFalse();
  }

  private static Watcher<Pod> waitingReasons(List<String> reasons) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        pod.getStatus().getContainerStatuses().stream()
            .filter(status -> status.getState().getWaiting() != null)
            .map(status -> status.getState().getWaiting().getReason())
            .forEach(reasons::add);
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static Pod waitFor(String name, java.util.function.Predicate<Pod> condition) {
    return TestPods.waitFor(client, name, condition);
  }
}
