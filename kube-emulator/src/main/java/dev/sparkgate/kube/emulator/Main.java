package dev.sparkgate.kube.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an emulated cluster until stopped, for trying Sparkgate by hand:
 *
 * <pre>
 * java -jar kube-emulator/target/sparkgate-kube-emulator.jar --kubeconfig /tmp/sparkgate.kubeconfig
 *     [--port PORT] [--images DIR] [--strict-images] [--work-dir DIR] [--node-name NAME]
 *     [--node-capacity CPUS,MEMORY]
 * </pre>
 *
 * Ctrl-C deletes every pod (each stopped gracefully), then stops the API server.
 */
public final class Main {

  static {
    // Before the first logger exists. See log4j2-main.properties for why it is not the default name.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "classpath:dev/sparkgate/kube/emulator/log4j2-main.properties");
    }
  }

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private static final java.util.regex.Pattern QUANTITY =
      java.util.regex.Pattern.compile("\\d+(\\.\\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?");

  private static final String USAGE = "usage: java -jar sparkgate-kube-emulator.jar --kubeconfig PATH"
      + " [--port PORT] [--images DIR] [--strict-images] [--work-dir DIR] [--node-name NAME]"
      + " [--node-capacity CPUS,MEMORY (e.g. 4,8Gi)]";

  record Options(Path kubeconfig, int port, Path images, boolean strictImages, Path workDir, String nodeName,
      String nodeCpus, String nodeMemory) {

    static Options parse(String... args) {
      Path kubeconfig = null;
      Path images = null;
      Path workDir = null;
      boolean strict = false;
      int port = 0;
      String nodeName = LocalKubelet.NODE_NAME;
      String[] capacity = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--kubeconfig" -> kubeconfig = Path.of(value(args, ++i));
          case "--port" -> port = Integer.parseInt(value(args, ++i));
          case "--images" -> images = Path.of(value(args, ++i));
          case "--strict-images" -> strict = true;
          case "--work-dir" -> workDir = Path.of(value(args, ++i));
          case "--node-name" -> nodeName = value(args, ++i);
          case "--node-capacity" -> {
            capacity = value(args, ++i).split(",");
            if (capacity.length != 2 || !QUANTITY.matcher(capacity[0]).matches()
                || !QUANTITY.matcher(capacity[1]).matches()) {
              throw new IllegalArgumentException("--node-capacity takes CPUS,MEMORY as Kubernetes quantities, such as"
                  + " 4,8Gi or 1500m,2048Mi; not " + args[i]);
            }
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (kubeconfig == null) {
        throw new IllegalArgumentException("--kubeconfig is required");
      }
      return new Options(kubeconfig.toAbsolutePath(), port, images, strict, workDir, nodeName,
          capacity == null ? null : capacity[0], capacity == null ? null : capacity[1]);
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(args[i - 1] + " needs a value");
      }
      return args[i];
    }

    ImageRegistry registry() {
      ImageRegistry registry = images == null ? ImageRegistry.builtInOnly() : ImageRegistry.declaredIn(images);
      return strictImages ? registry.strict() : registry;
    }
  }

  private Main() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    boolean ownWorkDir = options.workDir() == null;
    Path workDir = ownWorkDir ? Files.createTempDirectory("sparkgate-kube-emulator") : options.workDir();

    EmulatedCluster.Builder builder = EmulatedCluster.builder()
        .port(options.port())
        .images(options.registry())
        .nodeName(options.nodeName())
        .workDir(workDir);
    if (options.nodeCpus() != null) {
      builder.nodeCapacity(options.nodeCpus(), options.nodeMemory());
    }
    EmulatedCluster cluster = builder.start();
    cluster.writeKubeconfig(options.kubeconfig());

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Stopping: deleting pods, then the API server");
      cluster.close();
      if (ownWorkDir) {
        deleteRecursively(workDir);
      }
      stopped.countDown();
    }, "emulator-shutdown"));

    System.out.println("Emulated Kubernetes cluster at " + cluster.apiServerUrl() + ". Use it with: KUBECONFIG="
        + options.kubeconfig() + " java -jar gateway/target/sparkgate-gateway.jar   (Ctrl-C stops the cluster)");
    stopped.await();
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      log.warn("Could not remove {}: {}", dir, e.toString());
    }
  }
}
