package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated cluster's one node, and its scheduler: watches every pod through the API server, as a kubelet does,
 * binds each new pod to the node if its requests fit the node's capacity (else leaves it Pending, Unschedulable, until
 * room frees), and runs it as local processes (see {@link PodRun}). Executor pods run Spark's
 * {@code KubernetesExecutorBackend} exactly as the Spark image's entrypoint would; other pods run their container's
 * command with the image's {@code bin/} on the PATH. It samples its containers' memory every
 * {@link #MEMORY_SAMPLE_INTERVAL} to OOM-kill those over their limit, and serves its {@code Node} object.
 *
 * <p>A finalizer on every pod it runs gives the emulation real graceful deletion: the mock API server would otherwise
 * delete a pod at once, with no {@code deletionTimestamp} for anyone to act on.
 */
public final class LocalKubelet implements AutoCloseable {

  public static final String NODE_NAME = "sparkgate-emulated-node";
  public static final String NODE_IP = "127.0.0.1";
  public static final String FINALIZER = "sparkgate.dev/local-kubelet";
  /** How often container memory is sampled against {@code limits.memory} (a cgroup would count every page). */
  public static final Duration MEMORY_SAMPLE_INTERVAL = Duration.ofMillis(250);

  private static final Logger log = LoggerFactory.getLogger(LocalKubelet.class);

  private final KubernetesClient client;
  private final PodRun.Node node;
  private final NodeCapacity capacity;
  private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
  /** Pods the scheduler could not place yet, in arrival order, with the message last reported. */
  private final Map<String, String> unschedulable = new LinkedHashMap<>();
  private final ScheduledExecutorService memorySampler = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "kubelet-memory-sampler");
    thread.setDaemon(true);
    return thread;
  });
  private SharedIndexInformer<Pod> informer;

  LocalKubelet(KubernetesClient client, ImageRegistry images, List<Path> sparkClasspath, ContainerLogs logs,
      Path workDir, ServiceAccountTokens tokens, URI apiServer, String nodeName,
      Optional<NodeCapacity.Resources> capacity) {
    this.client = client;
    this.capacity = new NodeCapacity(capacity);
    this.node = new PodRun.Node(new PodUpdates(client), images, new SparkImageEntrypoint(sparkClasspath), logs,
        workDir, BuiltInSparkHome.create(workDir, sparkClasspath), client, tokens, apiServer, nodeName,
        this::released);
  }

  void start() {
    client.nodes().resource(nodeObject()).create();
    informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        reconcile(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod pod) {
        reconcile(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        forget(pod);
      }
    });
    long interval = MEMORY_SAMPLE_INTERVAL.toMillis();
    memorySampler.scheduleWithFixedDelay(() -> runs.values().forEach(PodRun::checkMemory), interval, interval,
        TimeUnit.MILLISECONDS);
  }

  /** The local process running a pod, in any namespace; empty if the pod has no process (yet, or any more). */
  public Optional<ProcessHandle> processOf(String podName) {
    return runs.values().stream()
        .filter(run -> run.name().equals(podName))
        .flatMap(run -> run.process().stream())
        .findFirst();
  }

  public Optional<ProcessHandle> processOf(String namespace, String podName) {
    return Optional.ofNullable(runs.get(key(namespace, podName))).flatMap(PodRun::process);
  }

  /**
   * Evicts a pod, as a node under pressure does: its container is killed and the pod ends {@code Failed}, reason
   * {@code Evicted}, with {@code message}. A test hook; false if this node runs no such pod.
   */
  public boolean evict(String namespace, String podName, String message) {
    PodRun run = runs.get(key(namespace, podName));
    if (run == null) {
      return false;
    }
    run.evict(message);
    return true;
  }

  public ImageRegistry images() {
    return node.images();
  }

  public String nodeName() {
    return node.nodeName();
  }

  private synchronized void reconcile(Pod pod) {
    String key = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    PodRun run = runs.get(key);
    if (run != null && !Objects.equals(run.uid(), pod.getMetadata().getUid())) {
      runs.remove(key).discard();
      run = null;
    }
    boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
    if (run == null) {
      if (deleting) {
        releaseUnknown(pod);
        return;
      }
      if (!"Pending".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase())) {
        return;
      }
      run = schedule(key, pod);
      if (run == null) {
        return;
      }
    }
    if (deleting) {
      run.terminate(pod);
    }
  }

  /** Binds and admits the pod if it fits; else reports it Unschedulable (once per reason) and keeps it waiting. */
  private PodRun schedule(String key, Pod pod) {
    Optional<String> why = capacity.tryBind(key, pod);
    if (why.isPresent()) {
      if (!why.get().equals(unschedulable.put(key, why.get()))) {
        log.info("Pod {} is unschedulable: {}", pod.getMetadata().getName(), why.get());
        PodEvents.warning(client, pod, "default-scheduler", "FailedScheduling", why.get());
        node.updates().setStatus(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
            PodReport.unschedulable(why.get()));
      }
      return null;
    }
    unschedulable.remove(key);
    PodRun run = new PodRun(pod, node);
    runs.put(key, run);
    run.admit(pod);
    return run;
  }

  /** A pod finished or went: its room is free, so the pods waiting for room get another chance, in order. */
  private void released(String key) {
    capacity.release(key);
    List<String> waiting;
    synchronized (this) {
      waiting = List.copyOf(unschedulable.keySet());
    }
    for (String candidate : waiting) {
      String[] parts = candidate.split("/", 2);
      Pod pod = client.pods().inNamespace(parts[0]).withName(parts[1]).get();
      synchronized (this) {
        if (pod == null) {
          unschedulable.remove(candidate);
        } else if (runs.get(candidate) == null && pod.getMetadata().getDeletionTimestamp() == null) {
          schedule(candidate, pod);
        }
      }
    }
  }

  private synchronized void forget(Pod pod) {
    String key = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    unschedulable.remove(key);
    PodRun run = runs.get(key);
    if (run != null && Objects.equals(run.uid(), pod.getMetadata().getUid())) {
      runs.remove(key);
      run.discard();
    }
  }

  /** A pod with our finalizer that this kubelet never ran (it was started before this one): let it go. */
  private void releaseUnknown(Pod pod) {
    if (pod.getMetadata().getFinalizers().contains(FINALIZER)) {
      log.info("Releasing pod {}, which this kubelet never ran", pod.getMetadata().getName());
      node.updates().removeFinalizer(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }
  }

  /**
   * The Node object, as {@code kubectl get nodes} shows it: Ready, on 127.0.0.1, with the configured capacity (or,
   * without one, this machine's processors and memory, which the scheduler then does not hold pods to).
   */
  private Node nodeObject() {
    NodeCapacity.Resources resources = capacity.capacity().orElseGet(LocalKubelet::machine);
    Map<String, Quantity> quantities = Map.of(
        "cpu", new Quantity(resources.milliCpu() + "m"),
        "memory", new Quantity(String.valueOf(resources.memoryBytes())),
        "pods", new Quantity("110"));
    return new NodeBuilder()
        .withNewMetadata().withName(node.nodeName())
          .addToLabels("kubernetes.io/hostname", node.nodeName()).addToLabels("kubernetes.io/os", "linux")
        .endMetadata()
        .withNewStatus()
          .withCapacity(quantities).withAllocatable(quantities)
          .addNewAddress().withType("InternalIP").withAddress(NODE_IP).endAddress()
          .addNewAddress().withType("Hostname").withAddress(node.nodeName()).endAddress()
          .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
            .withMessage("the emulated kubelet is posting ready status").endCondition()
          .withNewNodeInfo().withKubeletVersion("emulated").withOperatingSystem("linux")
            .withArchitecture(System.getProperty("os.arch")).withContainerRuntimeVersion("local-processes://")
          .endNodeInfo()
        .endStatus()
        .build();
  }

  private static NodeCapacity.Resources machine() {
    long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getTotalMemorySize() : Runtime.getRuntime().maxMemory();
    return new NodeCapacity.Resources(Runtime.getRuntime().availableProcessors() * 1000L, memory);
  }

  /** The node goes down: every process it runs is killed at once. Delete pods first for a graceful end. */
  @Override
  public synchronized void close() {
    memorySampler.shutdownNow();
    if (informer != null) {
      informer.close();
    }
    runs.values().forEach(PodRun::killNow);
    runs.clear();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
