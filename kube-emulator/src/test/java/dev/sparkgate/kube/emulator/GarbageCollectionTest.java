package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Owner references as Kubernetes' garbage collector honours them: delete the owner, its dependents go. */
class GarbageCollectionTest {

  private static final String IMAGE = TestPods.IMAGE;

  private static Path work;
  private static EmulatedCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void startCluster() throws IOException {
    work = Path.of("target", "kube-emulator-tests", GarbageCollectionTest.class.getSimpleName()).toAbsolutePath();
    Files.createDirectories(work);
    cluster = TestPods.clusterFor(GarbageCollectionTest.class).start();
    client = cluster.client();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void deletingADriverPodCollectsItsSecretAndExecutorsGracefullyAndTheirDependentsInTurn() throws Exception {
    // given a driver pod; a Secret and an executor pod it owns; a ConfigMap the executor owns; and a bystander
    Path sigterm = work.resolve("executor-got-sigterm");
    Files.deleteIfExists(sigterm);
    Pod driver = running(TestPods.shellPod("driver", IMAGE, "while true; do sleep 0.1; done"));
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("driver-secret")
        .withOwnerReferences(ownedBy(driver)).endMetadata().withStringData(Map.of("k", "v")).build()).create();
    Pod executor = running(new PodBuilder(TestPods.shellPod("executor", IMAGE,
        "trap 'echo SIGTERM > " + sigterm + "; exit 0' TERM; while true; do sleep 0.1; done"))
        .editMetadata().withOwnerReferences(ownedBy(driver)).endMetadata().build());
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("executor-conf")
        .withOwnerReferences(ownedBy(executor)).endMetadata().build()).create();
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("bystander").endMetadata()
        .withStringData(Map.of("k", "v")).build()).create();

    // when the driver pod is deleted
    long start = System.nanoTime();
    client.pods().withName("driver").delete();

    // then its Secret and executor go, the executor's ConfigMap after it, and the executor had its SIGTERM
    Await.until(Duration.ofSeconds(5), "the driver's dependents and theirs collected",
        () -> client.secrets().withName("driver-secret").get() == null
            && client.pods().withName("executor").get() == null
            && client.configMaps().withName("executor-conf").get() == null);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(Files.readString(sigterm)).isEqualTo("SIGTERM\n");
    assertThat(client.secrets().withName("bystander").get()).isNotNull();
    // (about a second in all, most of it the two pods' graceful stops; measured here for the record)
    System.out.println("owner deleted to all dependents collected: " + took.toMillis() + " ms");
  }

  @Test
  void anObjectCreatedForAnOwnerThatIsAlreadyGoneIsCollected() {
    // given an owner reference to a pod that no longer exists
    Pod gone = running(TestPods.shellPod("short-lived", IMAGE, "while true; do sleep 0.1; done"));
    client.pods().withName("short-lived").delete();
    client.pods().withName("short-lived").waitUntilCondition(p -> p == null, 10, TimeUnit.SECONDS);

    // when a Secret is created owned by it
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("orphan")
        .withOwnerReferences(ownedBy(gone)).endMetadata().build()).create();

    // then the collector removes it
    Await.until(Duration.ofSeconds(5), "the orphan Secret collected",
        () -> client.secrets().withName("orphan").get() == null);
  }

  private static OwnerReference ownedBy(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion("v1").withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true).build();
  }

  private static Pod running(Pod pod) {
    client.pods().resource(pod).create();
    return TestPods.waitFor(client, pod.getMetadata().getName(), TestPods.inPhase("Running"));
  }
}
