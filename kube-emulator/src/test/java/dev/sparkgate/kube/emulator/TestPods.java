package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What the emulator's tests share: a cluster on the fixture images, pods that run a shell command, waiting on them. */
final class TestPods {

  /** The fixture image (see src/test/resources/images) that claims Spark 3.5.6 and Python 3.10.14. */
  static final String IMAGE = "sparkgate-test/spark-py:3.5.6";

  private TestPods() {}

  /** A cluster whose work dir is the test class's under target/, with the fixture images declared. */
  static EmulatedCluster.Builder clusterFor(Class<?> testClass) {
    return EmulatedCluster.builder()
        .workDir(Path.of("target", "kube-emulator-tests", testClass.getSimpleName(), "cluster"))
        .images(ImageRegistry.declaredIn(ImageRegistryTest.fixtureImages()));
  }

  /** A pod (restartPolicy Never) whose one container {@code main} runs {@code sh -c shellCommand}. */
  static Pod shellPod(String name, String image, String shellCommand) {
    return new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
          .withRestartPolicy("Never")
          .addNewContainer().withName("main").withImage(image).withCommand("sh", "-c").withArgs(shellCommand)
          .endContainer()
        .endSpec()
        .build();
  }

  /** Waits up to 20 s for the pod to exist and satisfy the condition; fabric8 names the pod if it times out. */
  static Pod waitFor(KubernetesClient client, String name, Predicate<Pod> condition) {
    return client.pods().withName(name).waitUntilCondition(p -> p != null && condition.test(p), 20, TimeUnit.SECONDS);
  }

  /** A RoleBinding, named as its Role, of that Role to a service account of the binding's namespace. */
  static RoleBinding roleBinding(String role, String serviceAccount) {
    return new RoleBindingBuilder().withNewMetadata().withName(role).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(role).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(serviceAccount).endSubject()
        .build();
  }

  static Predicate<Pod> inPhase(String phase) {
    return pod -> phase.equals(pod.getStatus().getPhase());
  }
}
