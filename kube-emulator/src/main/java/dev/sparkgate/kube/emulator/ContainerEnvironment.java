package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The environment a container starts with, built as a node would build it: a clean base (not the emulator's own
 * environment), the image's variables, then the pod's {@code env}, with its downward-API references resolved for a pod
 * that lives on 127.0.0.1. Paths that exist only inside a real image are replaced by the pod's sandbox.
 */
final class ContainerEnvironment {

  private static final Logger log = LoggerFactory.getLogger(ContainerEnvironment.class);
  private static final Pattern LABEL_OR_ANNOTATION = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private ContainerEnvironment() {}

  static Map<String, String> of(Pod pod, Container container, EmulatedImage image, PodSandbox sandbox,
      Path builtInSparkHome) {
    Map<String, String> env = new LinkedHashMap<>();
    String hostPath = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
    env.put("PATH", image.bin().map(bin -> bin + File.pathSeparator + hostPath).orElse(hostPath));
    env.put("HOME", sandbox.root().toString());
    env.put("HOSTNAME", Optional.ofNullable(pod.getSpec().getHostname()).orElse(pod.getMetadata().getName()));
    env.put("TMPDIR", sandbox.tmp().toString());
    // Spark's images carry a JDK and say where: the emulated node's JDK is the emulator's own.
    env.put("JAVA_HOME", System.getProperty("java.home"));
    if (image.directory().isEmpty()) {
      // Spark's images set SPARK_HOME to where their jars are; the built-in image's are the built-in runtime.
      env.put("SPARK_HOME", builtInSparkHome.toString());
    }
    env.putAll(image.environment());

    for (EnvVar var : container.getEnv()) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), Optional.ofNullable(var.getValue()).orElse(""));
      } else if (var.getValueFrom().getFieldRef() != null) {
        fieldValue(pod, var.getValueFrom().getFieldRef()).ifPresentOrElse(
            value -> env.put(var.getName(), value),
            () -> log.warn("Pod {}: env {} refers to field {}, which the emulation does not resolve",
                pod.getMetadata().getName(), var.getName(), var.getValueFrom().getFieldRef().getFieldPath()));
      } else {
        log.warn("Pod {}: env {} comes from a source the emulation does not read (only fieldRef is resolved)",
            pod.getMetadata().getName(), var.getName());
      }
    }

    // Spark points these at paths inside its image (emptyDir volumes, a ConfigMap mount) that do not exist here.
    env.put("SPARK_LOCAL_DIRS", sandbox.localDirs().toString());
    env.remove("SPARK_CONF_DIR");
    return env;
  }

  /**
   * The program a container's command names, looked up on the container's PATH as the container runtime does. (Java
   * would look it up on the emulator's own PATH, where an image's {@code bin/} is not.)
   */
  static Optional<String> executable(String program, Map<String, String> env) {
    if (program.contains("/")) {
      return Optional.of(program);
    }
    for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
      java.nio.file.Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  /** The downward API, for a pod whose IP and host IP are both 127.0.0.1. */
  private static Optional<String> fieldValue(Pod pod, ObjectFieldSelector field) {
    String path = field.getFieldPath();
    switch (path) {
      case "metadata.name":
        return Optional.of(pod.getMetadata().getName());
      case "metadata.namespace":
        return Optional.of(pod.getMetadata().getNamespace());
      case "metadata.uid":
        return Optional.ofNullable(pod.getMetadata().getUid());
      case "status.podIP":
      case "status.podIPs":
      case "status.hostIP":
      case "status.hostIPs":
        return Optional.of(LocalKubelet.NODE_IP);
      case "spec.nodeName":
        return Optional.of(LocalKubelet.NODE_NAME);
      case "spec.serviceAccountName":
        return Optional.of(Optional.ofNullable(pod.getSpec().getServiceAccountName()).orElse("default"));
      default:
        Matcher keyed = LABEL_OR_ANNOTATION.matcher(path);
        if (keyed.matches()) {
          Map<String, String> values = keyed.group(1).equals("labels")
              ? pod.getMetadata().getLabels()
              : pod.getMetadata().getAnnotations();
          return Optional.ofNullable(values).map(map -> map.get(keyed.group(2)));
        }
        return Optional.empty();
    }
  }
}
