package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Container;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a container runs, decided as Kubernetes and the Spark image decide it. A container's {@code command} replaces
 * the image's entrypoint and runs as given. Otherwise the entrypoint is Spark's {@code entrypoint.sh}, and it reads its
 * first argument: {@code executor} starts {@code KubernetesExecutorBackend} from the pod's environment, anything else
 * runs as a command ("pass-through mode").
 *
 * <p>The executor command line follows Spark 3.5's {@code entrypoint.sh}: {@code SPARK_JAVA_OPT_n} in numeric order,
 * {@code -Xms} and {@code -Xmx} of {@code SPARK_EXECUTOR_MEMORY}, the Spark runtime classpath (plus
 * {@code SPARK_EXTRA_CLASSPATH}), and the backend's arguments from the environment. One addition stands in for the
 * container's private {@code /tmp}: {@code -Djava.io.tmpdir} points into the pod's sandbox, ahead of the pod's own
 * options so that theirs win.
 */
final class SparkImageEntrypoint {

  static final String EXECUTOR_BACKEND = "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend";
  private static final Pattern JAVA_OPT = Pattern.compile("SPARK_JAVA_OPT_(\\d+)");

  /** A container the node cannot start; the kubelet reports it as {@code StartError}. */
  static final class NotRunnable extends Exception {
    NotRunnable(String message) {
      super(message);
    }
  }

  private final List<Path> sparkClasspath;

  /** @param sparkClasspath the built-in Spark runtime: absolute entries, the image's {@code /opt/spark/jars/*} */
  SparkImageEntrypoint(List<Path> sparkClasspath) {
    this.sparkClasspath = List.copyOf(sparkClasspath);
  }

  List<String> command(Container container, Map<String, String> env, PodSandbox sandbox) throws NotRunnable {
    return command(container, env, sandbox, Optional.empty());
  }

  /**
   * {@code imageJars}: the image's own Spark jars ({@link EmulatedImage#sparkJars()}), which its executors run on as
   * a real image's do ({@code /opt/spark/jars/*}); without them, the built-in runtime.
   */
  List<String> command(Container container, Map<String, String> env, PodSandbox sandbox, Optional<Path> imageJars)
      throws NotRunnable {
    List<String> args = container.getArgs();
    if (!container.getCommand().isEmpty()) {
      List<String> command = new ArrayList<>(container.getCommand());
      command.addAll(args);
      return command;
    }
    if (args.isEmpty()) {
      throw new NotRunnable("the container has neither command nor args, and emulated images have no default command");
    }
    switch (args.get(0)) {
      case "executor":
        return executor(env, sandbox, imageJars);
      case "driver":
        throw new NotRunnable("driver pods (Spark cluster mode) are not emulated; run the driver in client mode");
      default:
        return List.copyOf(args);
    }
  }

  private List<String> executor(Map<String, String> env, PodSandbox sandbox, Optional<Path> imageJars) {
    String memory = env.getOrDefault("SPARK_EXECUTOR_MEMORY", "");
    String classpath = imageJars.map(jars -> jars.toAbsolutePath() + File.separator + "*")
        .orElseGet(() -> sparkClasspath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    if (!env.getOrDefault("SPARK_EXTRA_CLASSPATH", "").isEmpty()) {
      classpath += File.pathSeparator + env.get("SPARK_EXTRA_CLASSPATH");
    }

    List<String> command = new ArrayList<>();
    command.add(Path.of(env.getOrDefault("JAVA_HOME", System.getProperty("java.home")), "bin", "java").toString());
    command.add("-Djava.io.tmpdir=" + sandbox.tmp());
    command.addAll(javaOptions(env));
    command.addAll(List.of("-Xms" + memory, "-Xmx" + memory, "-cp", classpath, EXECUTOR_BACKEND));
    command.addAll(List.of(
        "--driver-url", env.getOrDefault("SPARK_DRIVER_URL", ""),
        "--executor-id", env.getOrDefault("SPARK_EXECUTOR_ID", ""),
        "--cores", env.getOrDefault("SPARK_EXECUTOR_CORES", ""),
        "--app-id", env.getOrDefault("SPARK_APPLICATION_ID", ""),
        "--hostname", env.getOrDefault("SPARK_EXECUTOR_POD_IP", ""),
        "--resourceProfileId", env.getOrDefault("SPARK_RESOURCE_PROFILE_ID", ""),
        "--podName", env.getOrDefault("SPARK_EXECUTOR_POD_NAME", "")));
    return command;
  }

  /** {@code SPARK_JAVA_OPT_0, _1, ... _10}: numeric order, as {@code sort -t_ -k4 -n} in the entrypoint. */
  static List<String> javaOptions(Map<String, String> env) {
    return env.entrySet().stream()
        .map(e -> Map.entry(JAVA_OPT.matcher(e.getKey()), e.getValue()))
        .filter(e -> e.getKey().matches())
        .sorted(Comparator.comparingInt((Map.Entry<Matcher, String> e) -> Integer.parseInt(e.getKey().group(1))))
        .map(Map.Entry::getValue)
        .collect(Collectors.toList());
  }
}
