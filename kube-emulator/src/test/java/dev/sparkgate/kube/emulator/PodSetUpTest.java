package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pods as Sparkgate's pod placement makes them, without Spark: init containers, volumes (emptyDir, Secret, ConfigMap),
 * an image with a file system, and env from every source Kubernetes offers.
 */
class PodSetUpTest {

  private static final String IMAGE = TestPods.IMAGE;
  private static final String RUNTIME_IMAGE = "sparkgate-test/sparkgate:dev";

  private static EmulatedCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void startCluster() throws IOException {
    Path work = Path.of("target", "kube-emulator-tests", PodSetUpTest.class.getSimpleName()).toAbsolutePath();
    // A "Sparkgate image" whose file system is a local directory, as a gateway test points one at its built runtime.
    Path rootfs = work.resolve("sparkgate-rootfs");
    Files.createDirectories(rootfs.resolve("opt/sparkgate/driver/bin"));
    Files.writeString(rootfs.resolve("opt/sparkgate/driver/bin/hello.sh"), "echo hello from the driver runtime\n");
    cluster = TestPods.clusterFor(PodSetUpTest.class).image(RUNTIME_IMAGE, rootfs).start();
    client = cluster.client();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void initContainersRunInOrderBeforeTheContainerAndShareAnEmptyDir() {
    // given a pod whose two init containers write to an emptyDir that its container reads
    Pod pod = new PodBuilder(pod("init-order", IMAGE, "cat /work/order"))
        .editSpec()
          .addNewVolume().withName("work").withNewEmptyDir().endEmptyDir().endVolume()
          .editFirstContainer().addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount()
          .endContainer()
          .addNewInitContainer().withName("first").withImage(IMAGE).withCommand("sh", "-c", "echo 1 > /work/order")
            .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount().endInitContainer()
          .addNewInitContainer().withName("second").withImage(IMAGE).withCommand("sh", "-c", "echo 2 >> /work/order")
            .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount().endInitContainer()
        .endSpec().build();

    // when it runs
    client.pods().resource(pod).create();
    Pod done = waitFor("init-order", p -> "Succeeded".equals(p.getStatus().getPhase()));

    // then both init containers completed, in order, before the container read what they wrote
    assertThat(done.getStatus().getInitContainerStatuses()).extracting(ContainerStatus::getName)
        .containsExactly("first", "second");
    assertThat(done.getStatus().getInitContainerStatuses()).allSatisfy(status -> {
      assertThat(status.getState().getTerminated().getExitCode()).isZero();
      assertThat(status.getState().getTerminated().getReason()).isEqualTo("Completed");
    });
    assertThat(client.pods().withName("init-order").getLog()).isEqualTo("1\n2\n");
    assertThat(client.pods().withName("init-order").inContainer("second").getLog()).isEmpty();
  }

  @Test
  void aFailingInitContainerFailsThePodWithItsExitCodeAndTheContainerNeverRuns() {
    // given a pod whose init container fails
    Pod pod = new PodBuilder(pod("init-fails", IMAGE, "echo the container ran"))
        .editSpec().addNewInitContainer().withName("setup").withImage(IMAGE)
          .withCommand("sh", "-c", "echo cannot copy the runtime; exit 3").endInitContainer().endSpec().build();

    // when it runs
    client.pods().resource(pod).create();
    Pod failed = waitFor("init-fails", p -> "Failed".equals(p.getStatus().getPhase()));

    // then the pod failed as Kubernetes shows Init:Error: the init container's exit code, the container never started
    ContainerStatus init = failed.getStatus().getInitContainerStatuses().get(0);
    assertThat(init.getState().getTerminated().getExitCode()).isEqualTo(3);
    assertThat(init.getState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(failed.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    assertThat(failed.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Initialized=False"));
    assertThat(client.pods().withName("init-fails").inContainer("setup").getLog())
        .isEqualTo("cannot copy the runtime\n");
  }

  @Test
  void anInitContainerCopiesTheRuntimeOutOfAnImagesFileSystemIntoAVolume() {
    // given a pod whose init container, from the image with a file system, copies its runtime into an emptyDir
    Pod pod = new PodBuilder(pod("runtime-copy", IMAGE, "sh /runtime/bin/hello.sh"))
        .editSpec()
          .addNewVolume().withName("runtime").withNewEmptyDir().endEmptyDir().endVolume()
          .editFirstContainer().addNewVolumeMount().withName("runtime").withMountPath("/runtime").endVolumeMount()
          .endContainer()
          .addNewInitContainer().withName("copy-runtime").withImage(RUNTIME_IMAGE)
            .withCommand("cp", "-r", "/opt/sparkgate/driver/.", "/runtime/")
            .addNewVolumeMount().withName("runtime").withMountPath("/runtime").endVolumeMount().endInitContainer()
        .endSpec().build();

    // when it runs
    client.pods().resource(pod).create();
    waitFor("runtime-copy", p -> "Succeeded".equals(p.getStatus().getPhase()));

    // then the container ran what the init container copied
    assertThat(client.pods().withName("runtime-copy").getLog()).isEqualTo("hello from the driver runtime\n");
  }

  @Test
  void aSecretVolumeWaitsForItsSecretThenHoldsItsKeysAsFilesWithTheirMode() {
    // given a pod that mounts a Secret that does not exist yet (the gateway creates it once the pod has a uid)
    Pod pod = new PodBuilder(pod("secret-mount", IMAGE,
        "stat -c %a /etc/session/token; cat /etc/session/token; echo; ls /etc/session"))
        .editSpec()
          .addNewVolume().withName("session").withNewSecret().withSecretName("session-secret").withDefaultMode(0400)
            .endSecret().endVolume()
          .editFirstContainer().addNewVolumeMount().withName("session").withMountPath("/etc/session")
            .withReadOnly(true).endVolumeMount().endContainer()
        .endSpec().build();
    client.pods().resource(pod).create();

    // then it stays Pending, ContainerCreating, saying which Secret it lacks
    Pod waiting = waitFor("secret-mount", p -> !p.getStatus().getContainerStatuses().isEmpty());
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(waiting.getStatus().getContainerStatuses().get(0).getState().getWaiting())
        .satisfies(w -> assertThat(w.getReason()).isEqualTo("ContainerCreating"))
        .satisfies(w -> assertThat(w.getMessage()).contains("MountVolume.SetUp failed", "secret \"session-secret\""));

    // and records the kubelet's FailedMount event for it
    Await.until(java.time.Duration.ofSeconds(5), "a FailedMount event for pod secret-mount",
        () -> client.v1().events().list().getItems().stream().anyMatch(event ->
            event.getReason().equals("FailedMount") && event.getInvolvedObject().getName().equals("secret-mount")));

    // when the Secret appears
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("session-secret").endMetadata()
        .withStringData(Map.of("token", "s3cr3t")).build()).create();

    // then the container runs, and reads each key as a file with the volume's defaultMode
    waitFor("secret-mount", p -> "Succeeded".equals(p.getStatus().getPhase()));
    assertThat(client.pods().withName("secret-mount").getLog()).isEqualTo("400\ns3cr3t\ntoken\n");
  }

  @Test
  void aConfigMapVolumeHonoursItsItems() {
    // given a ConfigMap with two keys, and a pod that mounts one of them under another name and mode
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
        .withData(Map.of("a.conf", "alpha", "b.conf", "beta")).build()).create();
    Pod pod = new PodBuilder(pod("configmap-items", IMAGE, "ls /etc/settings; stat -c %a /etc/settings/conf/a; "
        + "cat /etc/settings/conf/a"))
        .editSpec()
          .addNewVolume().withName("settings").withNewConfigMap().withName("settings")
            .addNewItem().withKey("a.conf").withPath("conf/a").withMode(0600).endItem().endConfigMap().endVolume()
          .editFirstContainer().addNewVolumeMount().withName("settings").withMountPath("/etc/settings")
            .endVolumeMount().endContainer()
        .endSpec().build();

    // when it runs
    client.pods().resource(pod).create();
    waitFor("configmap-items", p -> "Succeeded".equals(p.getStatus().getPhase()));

    // then only the listed key is there, at its path, with its mode
    assertThat(client.pods().withName("configmap-items").getLog()).isEqualTo("conf\n600\nalpha");
  }

  @Test
  void envComesFromSecretsConfigMapsTheDownwardApiAndExpandsVariablesAsKubernetesDoes() {
    // given a Secret, a ConfigMap, and a pod whose env draws on them, on its own fields and on earlier variables
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("env-secret").endMetadata()
        .withStringData(Map.of("password", "hunter2")).build()).create();
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("env-config").endMetadata()
        .withData(Map.of("MODE", "fast", "LEVEL", "3")).build()).create();
    Pod pod = new PodBuilder(pod("env-sources", IMAGE, ""))
        .editMetadata().addToLabels("team", "blue").endMetadata()
        .editSpec().withServiceAccountName("driver").editFirstContainer()
          .withCommand("printf", "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n")
          .withArgs("$(GREETING)", "$$(GREETING)", "$(UNDEFINED)", "$(PASSWORD)", "$(CFG_MODE)", "$(CFG_LEVEL)",
              "$(POD_NAME)", "$(POD_NAMESPACE)", "$(POD_IP)", "$(SA)/$(NODE)", "$(TEAM)")
          .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("env-config").endConfigMapRef()
            .endEnvFrom()
          .withEnv(
              new EnvVarBuilder().withName("WHO").withValue("world").build(),
              new EnvVarBuilder().withName("GREETING").withValue("hello $(WHO)").build(),
              new EnvVarBuilder().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password",
                  "env-secret", false).endValueFrom().build(),
              fieldRef("POD_NAME", "metadata.name"),
              fieldRef("POD_NAMESPACE", "metadata.namespace"),
              fieldRef("POD_IP", "status.podIP"),
              fieldRef("SA", "spec.serviceAccountName"),
              fieldRef("NODE", "spec.nodeName"),
              fieldRef("TEAM", "metadata.labels['team']"))
          .endContainer().endSpec().build();

    // when it runs
    client.pods().resource(pod).create();
    waitFor("env-sources", p -> "Succeeded".equals(p.getStatus().getPhase()));

    // then each value is resolved, and $(...) is expanded, escaped with $$, or kept when undefined
    assertThat(client.pods().withName("env-sources").getLog()).isEqualTo(
        "hello world|$(GREETING)|$(UNDEFINED)|hunter2|fast|3|env-sources|default|127.0.0.1|driver/"
            + LocalKubelet.NODE_NAME + "|blue\n");
  }

  @Test
  void aMissingSecretKeyRefHoldsTheContainerInCreateContainerConfigErrorUntilItExists() {
    // given a pod whose env needs a Secret that does not exist yet
    Pod pod = new PodBuilder(pod("env-waits", IMAGE, "echo $TOKEN"))
        .editSpec().editFirstContainer().addNewEnv().withName("TOKEN").withNewValueFrom()
          .withNewSecretKeyRef("token", "late-secret", false).endValueFrom().endEnv().endContainer().endSpec()
        .build();
    client.pods().resource(pod).create();

    // then the container waits, saying which Secret it lacks
    Pod waiting = waitFor("env-waits", p -> !p.getStatus().getContainerStatuses().isEmpty()
        && p.getStatus().getContainerStatuses().get(0).getState().getWaiting() != null
        && "CreateContainerConfigError".equals(
            p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()));
    assertThat(waiting.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
        .isEqualTo("secret \"late-secret\" not found");

    // when the Secret appears, the container starts with its value
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("late-secret").endMetadata()
        .withStringData(Map.of("token", "arrived")).build()).create();
    waitFor("env-waits", p -> "Succeeded".equals(p.getStatus().getPhase()));
    assertThat(client.pods().withName("env-waits").getLog()).isEqualTo("arrived\n");
  }

  static io.fabric8.kubernetes.api.model.EnvVar fieldRef(String name, String fieldPath) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(fieldPath)
        .endFieldRef().endValueFrom().build();
  }

  private static Pod pod(String name, String image, String shellCommand) {
    return TestPods.shellPod(name, image, shellCommand);
  }

  private static Pod waitFor(String name, Predicate<Pod> condition) {
    return TestPods.waitFor(client, name, condition);
  }
}
