package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sparkgate.testkit.OutsideTools;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulated cluster as any Kubernetes client (fabric8, kubectl) sees it, without Spark: pods, their logs, access
 * reviews.
 */
class EmulatedClusterTest {

  private static final String PROBE_IMAGE = "sparkgate-test/spark-py:3.5.6";

  private static EmulatedCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void startCluster() {
    cluster = TestPods.clusterFor(EmulatedClusterTest.class).start();
    client = cluster.client();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @AfterEach
  void allowEverythingAgain() {
    cluster.accessReviews().clear();
  }

  @Test
  void aNewPodIsPendingBeforeTheKubeletTakesIt() {
    // when a pod is created
    Pod created = client.pods().resource(pod("pending-at-birth", "sparkgate-test/unpullable:1.0", "true")).create();

    // then the API server answers with phase Pending, as a real one does (the CRUD mock alone sets no phase)
    assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
    // and, as its ServiceAccount admission does, with the service account "default", stored so
    assertThat(created.getSpec().getServiceAccountName()).isEqualTo("default");
    assertThat(client.pods().withName("pending-at-birth").get().getSpec().getServiceAccountName())
        .isEqualTo("default");
  }

  @Test
  void aProbePodRunsItsCommandWithTheImagesToolsAndItsOutputIsItsLog() {
    // given a short-lived pod that asks the image for its versions
    String name = "version-probe";
    client.pods().resource(pod(name, PROBE_IMAGE, "spark-submit --version; python3 --version")).create();

    // when it has run
    Pod pod = waitForPhase(name, "Succeeded");

    // then its container exited 0 and its log is what the image's tools printed
    assertThat(terminated(pod).getTerminated().getExitCode()).isZero();
    String log = client.pods().withName(name).getLog();
    assertThat(log).contains("version 3.5.6").contains("Python 3.10.14");
    assertThat(client.pods().withName(name).tailingLines(1).getLog()).isEqualTo("Python 3.10.14\n");
  }

  @Test
  void anImagesJavaIsTheOneItsJavaHomeNamesElseTheNodesOwn() {
    // given a pod on an image that declares Java 11 in its rootfs, and one on an undeclared image
    String command = "\"${JAVA_HOME:+$JAVA_HOME/bin/}java\" -version";
    client.pods().resource(pod("java-of-image", "sparkgate-test/java11:3.5.6", command)).create();
    client.pods().resource(pod("java-of-node", "apache/spark:3.5.6", command)).create();

    // when they have run
    waitForPhase("java-of-image", "Succeeded");
    waitForPhase("java-of-node", "Succeeded");

    // then each printed its own Java, as the gateway's image probe and a driver pod's command find it
    assertThat(client.pods().withName("java-of-image").getLog()).contains("version \"11.0.22\"");
    assertThat(client.pods().withName("java-of-node").getLog())
        .contains("version \"" + System.getProperty("java.version") + "\"");
  }

  @Test
  void theBuiltInImageKeepsItsSparkJarsUnderSparkHomeAsSparksImagesDo() {
    // given a pod on an image nobody declared, which runs on the built-in runtime
    String name = "built-in-spark-home";
    client.pods().resource(pod(name, "apache/spark:3.5.6", "ls \"$SPARK_HOME\"/jars/")).create();

    // when it has run
    waitForPhase(name, "Succeeded");

    // then its Spark home holds the jars of the Spark executors run here, as /opt/spark/jars does in Spark's images
    assertThat(client.pods().withName(name).getLog())
        .contains("spark-core_2.12-" + ImageRegistry.builtInSparkVersion().orElseThrow() + ".jar")
        .contains("spark-kubernetes_2.12-");
  }

  @Test
  void aFailingCommandLeavesThePodFailedWithItsExitCode() {
    String name = "failing-probe";
    client.pods().resource(pod(name, PROBE_IMAGE, "echo about to fail; exit 3")).create();

    Pod pod = waitForPhase(name, "Failed");

    assertThat(terminated(pod).getTerminated().getExitCode()).isEqualTo(3);
    assertThat(terminated(pod).getTerminated().getReason()).isEqualTo("Error");
    assertThat(client.pods().withName(name).getLog()).isEqualTo("about to fail\n");
  }

  @Test
  void aCommandThatIsNotThereFailsToStart() {
    String name = "missing-command";
    client.pods().resource(new PodBuilder(pod(name, PROBE_IMAGE, "")).editSpec().editFirstContainer()
        .withCommand("no-such-tool").withArgs().endContainer().endSpec().build()).create();

    Pod pod = waitForPhase(name, "Failed");

    assertThat(terminated(pod).getTerminated().getReason()).isEqualTo("StartError");
    assertThat(terminated(pod).getTerminated().getMessage()).contains("no-such-tool");
  }

  @Test
  void anUnpullableImageLeavesThePodPendingWithErrImagePull() {
    // given a pod whose image the registry refuses
    String name = "unpullable";
    client.pods().resource(pod(name, "sparkgate-test/unpullable:1.0", "true")).create();

    // when the kubelet has tried to pull it
    Pod pod = client.pods().withName(name).waitUntilCondition(
        p -> p != null && !p.getStatus().getContainerStatuses().isEmpty(), 10, TimeUnit.SECONDS);

    // then the pod stays Pending and says why, as a real kubelet's would
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    ContainerState state = pod.getStatus().getContainerStatuses().get(0).getState();
    assertThat(state.getWaiting().getReason()).isEqualTo("ErrImagePull");
    assertThat(state.getWaiting().getMessage()).contains("sparkgate-test/unpullable:1.0");
    // (fabric8 would first wait 5 s for the pod to become ready: ask at once)
    assertThatThrownBy(() -> client.pods().withName(name).withReadyWaitTimeout(0).getLog())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(400));
  }

  @Test
  void deletingAPodStopsItsProcessWithSigtermBeforeThePodGoes() throws Exception {
    // given a running pod whose process says goodbye on SIGTERM
    String name = "graceful";
    client.pods().resource(pod(name, PROBE_IMAGE,
        "trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done")).create();
    waitForPhase(name, "Running");
    ProcessHandle process = cluster.kubelet().processOf(name).orElseThrow();
    List<Pod> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = client.pods().withName(name).watch(recording(seen))) {

      // when it is deleted
      client.pods().withName(name).delete();

      // then it lingers, marked for deletion, until its process has exited cleanly, and then it is gone
      client.pods().withName(name).waitUntilCondition(p -> p == null, 10, TimeUnit.SECONDS);
    }
    assertThat(process.isAlive()).isFalse();
    assertThat(seen).anySatisfy(pod -> {
      assertThat(pod.getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(terminated(pod).getTerminated()).isNotNull()
          .satisfies(exit -> assertThat(exit.getExitCode()).isZero());
    });
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledAfterTheGracePeriod() {
    // given a running pod that ignores SIGTERM, with a grace period of one second
    String name = "stubborn";
    client.pods().resource(new PodBuilder(pod(name, PROBE_IMAGE, "trap '' TERM; while true; do sleep 0.1; done"))
        .editSpec().withTerminationGracePeriodSeconds(1L).endSpec().build()).create();
    waitForPhase(name, "Running");
    ProcessHandle process = cluster.kubelet().processOf(name).orElseThrow();

    // when it is deleted
    client.pods().withName(name).delete();

    // then it is SIGKILLed after its grace period and the pod goes
    client.pods().withName(name).waitUntilCondition(p -> p == null, 10, TimeUnit.SECONDS);
    assertThat(process.isAlive()).isFalse();
  }

  @Test
  void accessReviewsAreAllowedUnlessDenied() {
    // given a cluster that denies deleting pods, and creating services in namespace "team-a"
    cluster.deny("delete", "pods");
    cluster.deny("create", "services", "team-a", "services are someone else's business");

    // then the reviews answer accordingly
    assertThat(review("create", "pods", "default").getStatus().getAllowed()).isTrue();
    SelfSubjectAccessReview delete = review("delete", "pods", "default");
    assertThat(delete.getStatus().getAllowed()).isFalse();
    assertThat(delete.getStatus().getReason()).contains("delete pods");
    assertThat(review("create", "services", "default").getStatus().getAllowed()).isTrue();
    SelfSubjectAccessReview services = review("create", "services", "team-a");
    assertThat(services.getStatus().getAllowed()).isFalse();
    assertThat(services.getStatus().getReason()).isEqualTo("services are someone else's business");
  }

  @Test
  void theLogOfAPodThatDoesNotExistIsNotFound() {
    assertThatThrownBy(() -> client.pods().withName("never-created").getLog())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void theWrittenKubeconfigConnectsAClientToTheClusterInNamespaceDefault() throws Exception {
    // given a kubeconfig written by the cluster
    Path kubeconfig = cluster.writeKubeconfig(
        Path.of("target", "kube-emulator-tests", EmulatedClusterTest.class.getSimpleName(), "kubeconfig"));

    // when a client is configured from it alone
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    try (KubernetesClient fromKubeconfig = new KubernetesClientBuilder().withConfig(config).build()) {

      // then it reaches this cluster, in namespace default, with a token
      assertThat(config.getMasterUrl()).startsWith(cluster.apiServerUrl());
      assertThat(config.getNamespace()).isEqualTo("default");
      assertThat(config.getAutoOAuthToken()).isNotBlank();
      fromKubeconfig.pods().resource(pod("from-kubeconfig", PROBE_IMAGE, "true")).create();
      assertThat(client.pods().withName("from-kubeconfig").get()).isNotNull();
    }
  }

  @Test
  void kubectlFindsPodsThroughDiscoveryAndReadsTheirLogs() throws Exception {
    OutsideTools.KUBECTL.require();
    // given a finished pod and a kubeconfig for the cluster
    String name = "seen-by-kubectl";
    client.pods().resource(pod(name, PROBE_IMAGE, "echo hello from the pod")).create();
    waitForPhase(name, "Succeeded");
    Path kubeconfig = cluster.writeKubeconfig(
        Path.of("target", "kube-emulator-tests", EmulatedClusterTest.class.getSimpleName(), "kubectl-config"));

    // when kubectl, which learns resource types from the discovery documents, lists pods and reads a log
    String listed = kubectl(kubeconfig, "get", "pods", "-o", "name");
    String log = kubectl(kubeconfig, "logs", name);

    // then it finds them as on a real cluster
    assertThat(listed).contains("pod/" + name);
    assertThat(log).isEqualTo("hello from the pod\n");
  }

  /** Runs kubectl (CI installs Debian's) against the cluster and returns what it printed; fails unless it exits 0. */
  private static String kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kubectl %s finished", List.of(args)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("kubectl %s exit code; it printed: %s", List.of(args), output).isZero();
    return output;
  }

  private static Pod pod(String name, String image, String shellCommand) {
    return TestPods.shellPod(name, image, shellCommand);
  }

  private static Pod waitForPhase(String name, String phase) {
    return TestPods.waitFor(client, name, TestPods.inPhase(phase));
  }

  private static ContainerState terminated(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getState();
  }

  private static SelfSubjectAccessReview review(String verb, String resource, String namespace) {
    return client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
        .withNewSpec().withNewResourceAttributes()
          .withVerb(verb).withResource(resource).withNamespace(namespace)
        .endResourceAttributes().endSpec()
        .build());
  }

  private static Watcher<Pod> recording(List<Pod> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        seen.add(pod);
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
