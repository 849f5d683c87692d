package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated cluster's one node: watches every pod through the API server, as a kubelet does, and runs each new pod
 * as a local process (see {@link PodRun}). Executor pods run Spark's {@code KubernetesExecutorBackend} exactly as the
 * Spark image's entrypoint would; other pods run their container's command with the image's {@code bin/} on the PATH.
 *
 * <p>A finalizer on every pod it runs gives the emulation real graceful deletion: the mock API server would otherwise
 * delete a pod at once, with no {@code deletionTimestamp} for anyone to act on.
 */
public final class LocalKubelet implements AutoCloseable {

  public static final String NODE_NAME = "sparkgate-emulated-node";
  public static final String NODE_IP = "127.0.0.1";
  public static final String FINALIZER = "sparkgate.dev/local-kubelet";

  private static final Logger log = LoggerFactory.getLogger(LocalKubelet.class);

  private final KubernetesClient client;
  private final PodRun.Node node;
  private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
  private SharedIndexInformer<Pod> informer;

  LocalKubelet(KubernetesClient client, ImageRegistry images, List<Path> sparkClasspath, ContainerLogs logs,
      Path workDir, ServiceAccountTokens tokens, URI apiServer) {
    this.client = client;
    this.node = new PodRun.Node(new PodUpdates(client), images, new SparkImageEntrypoint(sparkClasspath), logs,
        workDir, BuiltInSparkHome.create(workDir, sparkClasspath), client, tokens, apiServer, NODE_NAME);
  }

  void start() {
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

  public ImageRegistry images() {
    return node.images();
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
      run = new PodRun(pod, node);
      runs.put(key, run);
      run.admit(pod);
    }
    if (deleting) {
      run.terminate(pod);
    }
  }

  private synchronized void forget(Pod pod) {
    PodRun run = runs.get(key(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
    if (run != null && Objects.equals(run.uid(), pod.getMetadata().getUid())) {
      runs.remove(key(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
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

  /** The node goes down: every process it runs is killed at once. Delete pods first for a graceful end. */
  @Override
  public synchronized void close() {
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
