package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.logging.Level;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.MockWebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An emulated Kubernetes cluster on 127.0.0.1: fabric8's mock API server in CRUD mode, with the few behaviours of a
 * real API server that Spark and Sparkgate depend on (see {@link ApiDispatcher}), and one {@link LocalKubelet} node
 * that runs pods as local processes. Spark's scheduler backend, any fabric8 client and the gateway talk to it as to a
 * real API server, over HTTP.
 *
 * <pre>{@code
 * try (EmulatedCluster cluster = EmulatedCluster.builder().workDir(Path.of("target/cluster")).start()) {
 *   SparkSession.builder().master(cluster.masterUrl()) ...
 * }
 * }</pre>
 */
public final class EmulatedCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmulatedCluster.class);
  private static final Duration GRACEFUL_SHUTDOWN = Duration.ofSeconds(10);
  // okhttp's MockWebServer logs every request on java.util.logging at INFO; JUL holds loggers weakly, so keep it.
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
      java.util.logging.Logger.getLogger(MockWebServer.class.getName());

  private final KubernetesMockServer server;
  private final RequestLog requestLog;
  private final KubernetesClient client;
  private final AccessReviews accessReviews;
  private final ServiceAccountTokens tokens;
  private final LocalKubelet kubelet;
  private final GarbageCollector garbageCollector;

  private EmulatedCluster(Builder builder) {
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    ContainerLogs logs = new ContainerLogs();
    this.accessReviews = new AccessReviews();
    this.tokens = new ServiceAccountTokens();
    DefaultingCrudDispatcher store = new DefaultingCrudDispatcher();
    this.server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), expectations,
        new ApiDispatcher(expectations, store, accessReviews, logs, tokens), false);
    server.init(InetAddress.getLoopbackAddress(), builder.port);
    this.requestLog = new RequestLog(server);
    this.client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
            .withMasterUrl(apiServerUrl())
            .withNamespace(Kubeconfig.NAMESPACE)
            .withOauthToken(Kubeconfig.TOKEN)
            .withHttp2Disable(true)
            .build())
        .build();
    this.kubelet = new LocalKubelet(client, builder.images, builder.executorClasspath, logs, builder.workDir, tokens,
        URI.create(apiServerUrl()), builder.nodeName, builder.nodeCapacity);
    this.garbageCollector = new GarbageCollector(client);
    store.onOwnershipChange(garbageCollector::poke);
    try {
      kubelet.start();
      garbageCollector.start();
    } catch (RuntimeException e) {
      garbageCollector.close();
      client.close();
      server.destroy();
      requestLog.close();
      throw e;
    }
    log.info("Emulated Kubernetes API server listening on {}", apiServerUrl());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The API server, as a kubeconfig's {@code server}: {@code http://127.0.0.1:PORT}. */
  public String apiServerUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** Spark's master URL for this cluster: {@code k8s://http://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "k8s://" + apiServerUrl();
  }

  public int port() {
    return server.getPort();
  }

  /** A fabric8 client for namespace {@code default}, closed with the cluster. */
  public KubernetesClient client() {
    return client;
  }

  public LocalKubelet kubelet() {
    return kubelet;
  }

  public AccessReviews accessReviews() {
    return accessReviews;
  }

  /** Evicts a pod in namespace {@code default}, as a node under pressure does (see {@link LocalKubelet#evict}). */
  public boolean evict(String podName, String message) {
    return kubelet.evict(Kubeconfig.NAMESPACE, podName, message);
  }

  /** Access reviews for {@code verb} on {@code resource} ({@code pods}, {@code pods/log}) answer no, everywhere. */
  public void deny(String verb, String resource) {
    deny(verb, resource, null, "emulated RBAC: " + verb + " " + resource + " is denied by the test");
  }

  /** Access reviews for {@code verb} on {@code resource} in {@code namespace} (null: any) answer no, with reason. */
  public void deny(String verb, String resource, String namespace, String reason) {
    accessReviews.deny(new AccessReviews.Denial(verb, resource, namespace, reason));
  }

  /**
   * A token for a service account, as {@code kubectl create token} gives one: requests bearing it are authorized by
   * the RBAC objects stored in the cluster. (Pods get theirs mounted; this is for tests that act as an account.)
   */
  public String issueToken(String namespace, String serviceAccount) {
    return tokens.issue(new ServiceAccountTokens.ServiceAccount(namespace, serviceAccount), "issued-by-test");
  }

  /** Writes a kubeconfig whose current context is this cluster, namespace {@code default}. */
  public Path writeKubeconfig(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(file, Kubeconfig.render(apiServerUrl()), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kubeconfig " + file, e);
    }
  }

  /**
   * Deletes every pod through the API (so each goes through graceful deletion: SIGTERM, grace, finalizer), waits a
   * little for them, then stops the node, the client and the API server.
   */
  @Override
  public void close() {
    try {
      client.pods().inAnyNamespace().delete();
      long deadline = System.nanoTime() + GRACEFUL_SHUTDOWN.toNanos();
      List<Pod> left = client.pods().inAnyNamespace().list().getItems();
      while (!left.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        left = client.pods().inAnyNamespace().list().getItems();
      }
      if (!left.isEmpty()) {
        log.warn("Pods still present {} after deleting them all: {}", GRACEFUL_SHUTDOWN,
            left.stream().map(pod -> pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
                + " finalizers=" + pod.getMetadata().getFinalizers()).toList());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Could not delete the emulated cluster's pods gracefully: {}", e.toString());
    } finally {
      garbageCollector.close();
      kubelet.close();
      client.close();
      server.destroy();
      requestLog.close();
      log.info("Emulated Kubernetes API server on port {} stopped", server.getPort());
    }
  }

  public static final class Builder {
    private Path workDir;
    private int port;
    private ImageRegistry images = ImageRegistry.builtInOnly();
    private List<Path> executorClasspath = classpathOf(System.getProperty("java.class.path"));
    private String nodeName = LocalKubelet.NODE_NAME;
    private Optional<NodeCapacity.Resources> nodeCapacity = Optional.empty();

    private Builder() {}

    /** Where pods keep their files (sandboxes, local dirs, tmp). Required; tests put it under {@code target/}. */
    public Builder workDir(Path workDir) {
      this.workDir = workDir.toAbsolutePath();
      return this;
    }

    /** The API server's port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder images(ImageRegistry images) {
      this.images = Objects.requireNonNull(images);
      return this;
    }

    /**
     * Declares one more image, whose file system is the local directory {@code rootfs}, used in place (see
     * {@link ImageRegistry#withImage}). Call after {@link #images} if both are used.
     */
    public Builder image(String reference, Path rootfs) {
      return image(reference, rootfs, Map.of());
    }

    /** As {@link #image(String, Path)}, with the image's properties ({@code spark.version}, ...). */
    public Builder image(String reference, Path rootfs, Map<String, String> properties) {
      this.images = images.withImage(reference, rootfs, properties);
      return this;
    }

    /** The node's name ({@code spec.nodeName} of bound pods, the {@code Node} object). */
    public Builder nodeName(String nodeName) {
      this.nodeName = Objects.requireNonNull(nodeName);
      return this;
    }

    /**
     * What the node can hold, in Kubernetes quantities ({@code "2"} or {@code "1500m"} CPUs, {@code "4Gi"} memory):
     * a pod whose requests do not fit beside the pods already bound stays Pending, Unschedulable, until room frees.
     * Without it every pod fits.
     */
    public Builder nodeCapacity(String cpus, String memory) {
      this.nodeCapacity = Optional.of(new NodeCapacity.Resources(
          Quantity.getAmountInBytes(new Quantity(cpus)).multiply(BigDecimal.valueOf(1000)).longValue(),
          Quantity.getAmountInBytes(new Quantity(memory)).longValue()));
      return this;
    }

    /** The built-in Spark runtime executors run on; by default this JVM's classpath. */
    public Builder executorClasspath(List<Path> classpath) {
      this.executorClasspath = classpath.stream().map(Path::toAbsolutePath).collect(Collectors.toList());
      return this;
    }

    public EmulatedCluster start() {
      Objects.requireNonNull(workDir, "workDir");
      return new EmulatedCluster(this);
    }

    /** A classpath string as absolute paths: executors start in their own working directory. */
    static List<Path> classpathOf(String classpath) {
      return Arrays.stream(classpath.split(File.pathSeparator))
          .filter(entry -> !entry.isEmpty())
          .map(entry -> Path.of(entry).toAbsolutePath())
          .collect(Collectors.toList());
    }
  }
}
