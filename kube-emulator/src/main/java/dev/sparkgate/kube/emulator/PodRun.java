package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod's life on the emulated node, from admission to the removal of the kubelet's finalizer: pull its images, set
 * up its volumes (trying again while a Secret or ConfigMap it needs is missing), run its init containers one after the
 * other and then its container as local processes, report each state, and on graceful deletion stop what runs
 * (SIGTERM, SIGKILL after the pod's grace period) before letting the API server remove the pod.
 *
 * <p>Everything that happens to one pod runs in order on the pod's own thread, so a status is never written out of
 * order (a container that exits at once is reported running first, then terminated).
 */
final class PodRun {

  private static final Logger log = LoggerFactory.getLogger(PodRun.class);
  private static final long DEFAULT_GRACE_SECONDS = 30;
  /** How soon the kubelet tries again to set up a pod whose Secret, ConfigMap or key is missing. */
  static final Duration SETUP_RETRY = Duration.ofMillis(500);

  private final String namespace;
  private final String name;
  private final String uid;
  private final Node node;
  private final ExecutorService worker;

  // Confined to the worker thread, but for the process, which others may look at.
  private volatile Process process;
  private Pod pod;
  private Container main;
  private List<Container> initContainers;
  private PodReport report;
  private Map<String, EmulatedImage> images;
  private PodSandbox sandbox;
  private PodVolumes.Mounted volumes;
  private volatile Container running;
  private Instant startedAt;
  private boolean exitReported;
  private boolean terminating;
  private String lastSetupProblem;
  private Duration pullBackOff = Duration.ofSeconds(2);
  // Set by the memory sampler, read when the process's exit is reported.
  private volatile boolean oomKilled;

  /**
   * What a pod run needs from the node it runs on.
   *
   * @param builtInSparkHome the built-in image's {@code $SPARK_HOME} (see {@link BuiltInSparkHome})
   * @param apiServer the API server as pods reach it ({@code http://127.0.0.1:PORT})
   */
  record Node(PodUpdates updates, ImageRegistry images, SparkImageEntrypoint entrypoint, ContainerLogs logs,
      Path workDir, Path builtInSparkHome, KubernetesClient client, ServiceAccountTokens tokens, URI apiServer,
      String nodeName, Consumer<String> released) {}

  PodRun(Pod pod, Node node) {
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.uid = pod.getMetadata().getUid();
    this.node = node;
    this.worker = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "kubelet-" + name);
      thread.setDaemon(true);
      return thread;
    });
  }

  String name() {
    return name;
  }

  String uid() {
    return uid;
  }

  Optional<ProcessHandle> process() {
    return Optional.ofNullable(process).map(Process::toHandle);
  }

  void admit(Pod pod) {
    submit("start", () -> start(pod));
  }

  /** The pod has a deletionTimestamp: stop the container, then release the pod. Idempotent. */
  void terminate(Pod pod) {
    submit("terminate", () -> stop(pod));
  }

  /** The pod is gone from the API (or the node is going down): kill what is left and clean up. */
  void discard() {
    submit("discard", () -> {
      kill();
      node.released().accept(key());
      node.tokens().revokeFor(uid);
      node.logs().remove(namespace, name);
      if (sandbox != null) {
        sandbox.delete();
      }
    });
    worker.shutdown();
  }

  /** The node stops now: no grace, no more API calls. */
  void killNow() {
    worker.shutdownNow();
    kill();
    node.tokens().revokeFor(uid);
    if (sandbox != null) {
      sandbox.delete();
    }
  }

  private void start(Pod pod) {
    if (!node.updates().bindAndAddFinalizer(namespace, name, node.nodeName())) {
      log.info("Pod {} was deleted before it started", name);
      return;
    }
    this.pod = pod;
    this.main = pod.getSpec().getContainers().get(0);
    this.initContainers = List.copyOf(pod.getSpec().getInitContainers());
    this.report = new PodReport(main, initContainers);
    report.scheduled(Instant.now());
    pullImages();
  }

  /**
   * Pulls every container's image, then sets the pod up. An image that cannot be pulled leaves the pod Pending:
   * {@code ErrImagePull}, a second later {@code ImagePullBackOff}, then another try after a back-off that doubles
   * (2 s, 4 s, ... at most 30 s), as a kubelet does.
   */
  private void pullImages() {
    if (terminating) {
      return;
    }
    images = new HashMap<>();
    List<Container> all = new ArrayList<>(initContainers);
    all.add(main);
    for (Container container : all) {
      ImageRegistry.Pull pull = node.images().pull(container.getImage());
      if (pull instanceof ImageRegistry.Pull.Failed failed) {
        log.warn("Pod {} stays Pending: {}", name, failed.message());
        report.waiting(container, "ErrImagePull", failed.message());
        publish();
        later(Duration.ofSeconds(1), "back off", () -> {
          report.waiting(container, "ImagePullBackOff", "Back-off pulling image \"" + container.getImage() + "\"");
          publish();
          later(pullBackOff, "pull again", this::pullImages);
          pullBackOff = pullBackOff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
              ? Duration.ofSeconds(30) : pullBackOff.multipliedBy(2);
        });
        return;
      }
      images.put(container.getImage(), ((ImageRegistry.Pull.Pulled) pull).image());
    }
    sandbox = PodSandbox.create(node.workDir(), pod);
    setUp();
  }

  private void later(Duration delay, String what, Step step) {
    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> submit(what, () -> {
      if (!terminating && !report.finished()) {
        step.run();
      }
    }));
  }

  /** Volumes, then the first container; while something the pod needs is missing, waits and tries again. */
  private void setUp() {
    if (terminating) {
      return;
    }
    try {
      volumes = PodVolumes.mount(pod, sandbox, node.client(), node.tokens());
    } catch (PodVolumes.MountFailed e) {
      waitForSetUp(initContainers.isEmpty() ? main : initContainers.get(0), "ContainerCreating", e.getMessage(),
          this::setUp);
      return;
    }
    startContainer(0);
  }

  private void waitForSetUp(Container container, String reason, String problem, Step retry) {
    if (!problem.equals(lastSetupProblem)) {
      log.warn("Pod {} waits ({}): {}", name, reason, problem);
      PodEvents.warning(node.client(), pod, "kubelet", reason.equals("ContainerCreating") ? "FailedMount" : "Failed",
          problem);
      lastSetupProblem = problem;
      report.waiting(container, reason, problem);
      publish();
    }
    later(SETUP_RETRY, "set up again", retry);
  }

  /** Init containers are 0..n-1, the container n. */
  private int index(Container container) {
    return container == main ? initContainers.size() : initContainers.indexOf(container);
  }

  private void startContainer(int index) {
    if (terminating) {
      return;
    }
    Container container = index < initContainers.size() ? initContainers.get(index) : main;
    EmulatedImage image = images.get(container.getImage());
    ContainerPaths paths = volumes.pathsFor(container, image);
    Map<String, String> env;
    try {
      env = ContainerEnvironment.of(pod, container, image, sandbox, volumes, paths, node);
    } catch (ContainerEnvironment.ConfigError e) {
      waitForSetUp(container, "CreateContainerConfigError", e.getMessage(), () -> startContainer(index));
      return;
    }
    lastSetupProblem = null;
    Container resolved = new ContainerBuilder(container)
        .withCommand(paths.translate(container.getCommand().stream().map(arg -> EnvExpansion.expand(arg, env)).toList()))
        .withArgs(paths.translate(container.getArgs().stream().map(arg -> EnvExpansion.expand(arg, env)).toList()))
        .build();
    OutputTail output = node.logs().start(namespace, name, container.getName(), container == main);
    Instant now = Instant.now();
    try {
      List<String> command = new ArrayList<>(node.entrypoint().command(resolved, env, sandbox, image.sparkJars()));
      command.set(0, ContainerEnvironment.executable(command.get(0), env).orElseThrow(() -> new IOException(
          "exec: \"" + command.get(0) + "\": executable file not found in $PATH")));
      ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory(container, paths).toFile())
          .redirectErrorStream(true);
      builder.environment().clear();
      builder.environment().putAll(env);
      Process started = builder.start();
      process = started;
      running = container;
      startedAt = Instant.now();
      exitReported = false;
      Thread drain = new Thread(() -> output.drain(started.getInputStream()), "kubelet-log-" + name);
      drain.setDaemon(true);
      drain.start();
      started.onExit().thenRun(() -> submit("report exit", () -> reportExit(started)));
      log.info("Pod {}: container {} runs as local process {} ({})", name, container.getName(), started.pid(),
          describe(command));
      report.running(container, started.pid(), startedAt);
      publish();
    } catch (SparkImageEntrypoint.NotRunnable | IOException e) {
      log.warn("Pod {}: container {} failed to start: {}", name, container.getName(), e.getMessage());
      byte[] message = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
      output.append(message, message.length);
      report.terminated(container, 0, 128, "StartError", e.getMessage(), now, Instant.now());
      publish();
      releaseIfFinished();
    }
  }

  /**
   * Called by the node's memory sampler: a container over its {@code limits.memory} is killed as the kernel's OOM
   * killer would kill it (SIGKILL, the whole tree), and its exit is reported as {@code OOMKilled}.
   */
  void checkMemory() {
    Process current = process;
    Container container = running;
    if (current == null || container == null || !current.isAlive() || oomKilled) {
      return;
    }
    Optional<Long> limit = NodeCapacity.memoryLimitOf(container);
    if (limit.isEmpty()) {
      return;
    }
    long resident = MemoryUsage.residentBytes(current.toHandle());
    if (resident > limit.get()) {
      oomKilled = true;
      log.warn("Pod {}: container {} uses {} bytes, over its memory limit of {}: OOM-killing it", name,
          container.getName(), resident, limit.get());
      current.descendants().forEach(ProcessHandle::destroyForcibly);
      current.destroyForcibly();
    }
  }

  /**
   * The node evicts the pod (as under memory or disk pressure): its container is killed and the pod ends
   * {@code Failed}, reason {@code Evicted}, with the message. The pod stays in the API, as evicted pods do.
   */
  void evict(String message) {
    submit("evict", () -> {
      Process current = process;
      Container container = running;
      if (current != null && current.isAlive()) {
        exitReported = true;
        current.descendants().forEach(ProcessHandle::destroyForcibly);
        current.destroyForcibly().waitFor();
        report.terminated(container, current.pid(), current.exitValue(), "Error", null, startedAt, Instant.now());
      }
      log.warn("Pod {} evicted: {}", name, message);
      PodEvents.warning(node.client(), pod, "kubelet", "Evicted", message);
      report.failed("Evicted", message);
      publish();
      releaseIfFinished();
    });
  }

  private void releaseIfFinished() {
    if (report.finished()) {
      node.released().accept(key());
    }
  }

  String key() {
    return namespace + "/" + name;
  }

  /** The container's {@code workingDir}, translated; the sandbox when it has none (or it does not exist here). */
  private Path workingDirectory(Container container, ContainerPaths paths) {
    if (container.getWorkingDir() == null || container.getWorkingDir().isEmpty()) {
      return sandbox.root();
    }
    Path dir = Path.of(paths.translatePath(container.getWorkingDir()));
    if (Files.isDirectory(dir)) {
      return dir;
    }
    log.warn("Pod {}: workingDir {} does not exist on the emulated node; the container starts in its sandbox", name,
        container.getWorkingDir());
    return sandbox.root();
  }

  private void reportExit(Process exited) {
    if (exitReported || exited != process || exited.isAlive()) {
      return;
    }
    exitReported = true;
    int exitCode = exited.exitValue();
    Container container = running;
    log.info("Pod {}: container {} (process {}) exited with code {}", name, container.getName(), exited.pid(),
        exitCode);
    String reason = oomKilled && container == running ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error";
    report.terminated(container, exited.pid(), exitCode, reason, null, startedAt, Instant.now());
    publish();
    releaseIfFinished();
    if (container != main && exitCode == 0 && !terminating) {
      startContainer(index(container) + 1);
    }
  }

  private void stop(Pod pod) throws InterruptedException {
    if (terminating) {
      return;
    }
    terminating = true;
    Process current = process;
    if (current != null && current.isAlive()) {
      long grace = Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(DEFAULT_GRACE_SECONDS);
      List<ProcessHandle> children = current.descendants().toList();
      current.destroy();
      if (!current.waitFor(grace, TimeUnit.SECONDS)) {
        log.warn("Pod {}: process {} outlived its {} s grace period, sending SIGKILL", name, current.pid(), grace);
        current.destroyForcibly().waitFor();
      }
      // The container's cgroup goes with it: whatever it started goes too.
      children.forEach(ProcessHandle::destroyForcibly);
      reportExit(current);
    }
    node.updates().removeFinalizer(namespace, name);
    log.info("Pod {} terminated and released", name);
  }

  private void publish() {
    node.updates().setStatus(namespace, name, report.toStatus());
  }

  private void kill() {
    Process current = process;
    if (current != null && current.isAlive()) {
      current.descendants().forEach(ProcessHandle::destroyForcibly);
      current.destroyForcibly();
    }
  }

  private void submit(String what, Step step) {
    try {
      worker.execute(() -> {
        try {
          step.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          log.warn("Pod {}: {} failed: {}", name, what, e.toString());
        }
      });
    } catch (RejectedExecutionException e) {
      // The pod has been discarded: nothing left to do for it.
    }
  }

  private interface Step {
    void run() throws InterruptedException;
  }

  /** The command without its (long) classpath, for a one-line log. */
  private static String describe(List<String> command) {
    int cp = command.indexOf("-cp");
    return cp >= 0 && cp + 2 < command.size()
        ? command.get(0) + " ... " + String.join(" ", command.subList(cp + 2, command.size()))
        : String.join(" ", command);
  }
}
