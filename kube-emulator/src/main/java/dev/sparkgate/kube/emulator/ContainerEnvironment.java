package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.File;
import java.net.URI;
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
 * environment), the image's variables, the service variables of the API server, then the pod's {@code envFrom} and
 * {@code env} in order, each value {@code $(VAR)}-expanded over what came before ({@link EnvExpansion}), with
 * Secrets, ConfigMaps and the downward API resolved for a pod that lives on 127.0.0.1. Absolute paths in the values
 * the pod and the image give are translated to the node's ({@link ContainerPaths}); paths that exist only inside a
 * real image are replaced by the pod's sandbox.
 *
 * <p>In-cluster clients find the API server as in a pod: {@code KUBERNETES_SERVICE_HOST} and
 * {@code KUBERNETES_SERVICE_PORT}. Because the emulated API server speaks plain HTTP where fabric8 assumes HTTPS for
 * those, {@code KUBERNETES_MASTER} (which fabric8 reads after them) says {@code http://}; and because a process cannot
 * see {@code /var/run/secrets/...}, {@code KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN} and {@code KUBENAMESPACE} point
 * fabric8 at the mounted token and namespace files instead.
 */
final class ContainerEnvironment {

  private static final Logger log = LoggerFactory.getLogger(ContainerEnvironment.class);
  private static final Pattern LABEL_OR_ANNOTATION = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  /** The container's env cannot be built yet (a Secret or key it needs is missing): CreateContainerConfigError. */
  static final class ConfigError extends Exception {
    ConfigError(String message) {
      super(message);
    }
  }

  private ContainerEnvironment() {}

  static Map<String, String> of(Pod pod, Container container, EmulatedImage image, PodSandbox sandbox,
      PodVolumes.Mounted volumes, ContainerPaths paths, PodRun.Node node) throws ConfigError {
    Map<String, String> env = new LinkedHashMap<>();
    String hostPath = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
    env.put("PATH", image.bin().map(bin -> bin + File.pathSeparator + hostPath).orElse(hostPath));
    env.put("HOME", sandbox.root().toString());
    env.put("HOSTNAME", Optional.ofNullable(pod.getSpec().getHostname()).orElse(pod.getMetadata().getName()));
    env.put("TMPDIR", sandbox.tmp().toString());
    // Spark's images carry a JDK and say where: the emulated node's JDK is the emulator's own.
    env.put("JAVA_HOME", System.getProperty("java.home"));
    if (image.usesBuiltInSparkHome()) {
      // Spark's images set SPARK_HOME to where their jars are; the built-in image's are the built-in runtime.
      env.put("SPARK_HOME", node.builtInSparkHome().toString());
    }
    image.environment().forEach((name, value) -> env.put(name, paths.translate(value)));
    env.putAll(serviceEnvironment(node.apiServer(), volumes));

    String namespace = pod.getMetadata().getNamespace();
    for (EnvFromSource from : container.getEnvFrom()) {
      String prefix = Optional.ofNullable(from.getPrefix()).orElse("");
      Map<String, String> values = envFrom(namespace, from, node);
      values.forEach((key, value) -> {
        if (ENV_NAME.matcher(prefix + key).matches()) {
          env.put(prefix + key, paths.translate(value));
        } else {
          log.warn("Pod {}: envFrom key {} is not a valid variable name and is skipped, as Kubernetes does",
              pod.getMetadata().getName(), key);
        }
      });
    }
    for (EnvVar var : container.getEnv()) {
      Optional<String> value = var.getValueFrom() == null
          ? Optional.of(EnvExpansion.expand(Optional.ofNullable(var.getValue()).orElse(""), env))
          : valueFrom(pod, var, node);
      value.ifPresent(v -> env.put(var.getName(), paths.translate(v)));
    }

    // Spark points these at paths inside its image (emptyDir volumes, a ConfigMap mount) that do not exist here.
    env.put("SPARK_LOCAL_DIRS", sandbox.localDirs().toString());
    env.remove("SPARK_CONF_DIR");
    return env;
  }

  private static Map<String, String> serviceEnvironment(URI apiServer, PodVolumes.Mounted volumes) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBERNETES_SERVICE_HOST", apiServer.getHost());
    env.put("KUBERNETES_SERVICE_PORT", String.valueOf(apiServer.getPort()));
    env.put("KUBERNETES_PORT", "tcp://" + apiServer.getHost() + ":" + apiServer.getPort());
    env.put("KUBERNETES_MASTER", apiServer.toString());
    volumes.serviceAccount().ifPresent(dir -> {
      env.put("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", dir.resolve("token").toString());
      env.put("KUBENAMESPACE", dir.resolve("namespace").toString());
    });
    return env;
  }

  private static Map<String, String> envFrom(String namespace, EnvFromSource from, PodRun.Node node)
      throws ConfigError {
    if (from.getConfigMapRef() != null) {
      return keysOf(node, KeyedData.Kind.CONFIG_MAP, namespace, from.getConfigMapRef().getName(),
          from.getConfigMapRef().getOptional());
    }
    if (from.getSecretRef() != null) {
      return keysOf(node, KeyedData.Kind.SECRET, namespace, from.getSecretRef().getName(),
          from.getSecretRef().getOptional());
    }
    return Map.of();
  }

  private static Map<String, String> keysOf(PodRun.Node node, KeyedData.Kind kind, String namespace, String name,
      Boolean optional) throws ConfigError {
    Optional<KeyedData> data = KeyedData.read(node.client(), kind, namespace, name);
    if (data.isEmpty() && !Boolean.TRUE.equals(optional)) {
      throw new ConfigError(KeyedData.notFound(kind, name));
    }
    return data.map(KeyedData::texts).orElse(Map.of());
  }

  /** A variable's {@code valueFrom}: a Secret's or ConfigMap's key, or a field of the pod. Empty: not set. */
  private static Optional<String> valueFrom(Pod pod, EnvVar var, PodRun.Node node) throws ConfigError {
    EnvVarSource source = var.getValueFrom();
    String namespace = pod.getMetadata().getNamespace();
    if (source.getSecretKeyRef() != null) {
      var ref = source.getSecretKeyRef();
      return keyOf(node, KeyedData.Kind.SECRET, namespace, ref.getName(), ref.getKey(), ref.getOptional());
    }
    if (source.getConfigMapKeyRef() != null) {
      var ref = source.getConfigMapKeyRef();
      return keyOf(node, KeyedData.Kind.CONFIG_MAP, namespace, ref.getName(), ref.getKey(), ref.getOptional());
    }
    if (source.getFieldRef() != null) {
      Optional<String> value = fieldValue(pod, source.getFieldRef(), node.nodeName());
      if (value.isEmpty()) {
        log.warn("Pod {}: env {} refers to field {}, which the emulation does not resolve",
            pod.getMetadata().getName(), var.getName(), source.getFieldRef().getFieldPath());
      }
      return value;
    }
    log.warn("Pod {}: env {} comes from a source the emulation does not read (resourceFieldRef)",
        pod.getMetadata().getName(), var.getName());
    return Optional.empty();
  }

  private static Optional<String> keyOf(PodRun.Node node, KeyedData.Kind kind, String namespace, String name,
      String key, Boolean optional) throws ConfigError {
    Optional<KeyedData> data = KeyedData.read(node.client(), kind, namespace, name);
    if (data.isEmpty()) {
      return missing(Boolean.TRUE.equals(optional), KeyedData.notFound(kind, name));
    }
    Optional<String> value = data.get().text(key);
    return value.isPresent() ? value : missing(Boolean.TRUE.equals(optional), data.get().missingKey(key));
  }

  private static Optional<String> missing(boolean optional, String message) throws ConfigError {
    if (optional) {
      return Optional.empty();
    }
    throw new ConfigError(message);
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
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  /** The downward API, for a pod whose IP and host IP are both 127.0.0.1. */
  static Optional<String> fieldValue(Pod pod, ObjectFieldSelector field, String nodeName) {
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
        return Optional.of(Optional.ofNullable(pod.getSpec().getNodeName()).orElse(nodeName));
      case "spec.serviceAccountName":
        return Optional.of(PodVolumes.serviceAccountName(pod));
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
