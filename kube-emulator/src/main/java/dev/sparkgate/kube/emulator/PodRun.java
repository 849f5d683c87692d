package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod's life on the emulated node, from admission to the removal of the kubelet's finalizer: pull the image, start
 * the container as a local process, report it running, report its exit, and on graceful deletion stop it (SIGTERM,
 * SIGKILL after the pod's grace period) before letting the API server remove the pod.
 *
 * <p>Everything that happens to one pod runs in order on the pod's own thread, so a status is never written out of
 * order (a container that exits at once is reported running first, then terminated).
 */
final class PodRun {

  private static final Logger log = LoggerFactory.getLogger(PodRun.class);
  private static final long DEFAULT_GRACE_SECONDS = 30;

  private final String namespace;
  private final String name;
  private final String uid;
  private final Node node;
  private final ExecutorService worker;

  // Confined to the worker thread, but for the process, which others may look at.
  private volatile Process process;
  private Container container;
  private PodSandbox sandbox;
  private Instant startedAt;
  private boolean exitReported;
  private boolean terminating;

  /** What a pod run needs from the node it runs on. */
  /** @param builtInSparkHome the built-in image's {@code $SPARK_HOME} (see {@link BuiltInSparkHome}) */
  record Node(PodUpdates updates, ImageRegistry images, SparkImageEntrypoint entrypoint, ContainerLogs logs,
      Path workDir, Path builtInSparkHome) {}

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
    if (sandbox != null) {
      sandbox.delete();
    }
  }

  private void start(Pod pod) {
    if (!node.updates().addFinalizer(namespace, name)) {
      log.info("Pod {} was deleted before it started", name);
      return;
    }
    container = pod.getSpec().getContainers().get(0);
    Instant now = Instant.now();
    ImageRegistry.Pull pull = node.images().pull(container.getImage());
    if (pull instanceof ImageRegistry.Pull.Failed failed) {
      log.warn("Pod {} stays Pending: {}", name, failed.message());
      node.updates().setStatus(namespace, name, PodStatuses.waiting(container, "ErrImagePull", failed.message(), now));
      return;
    }
    EmulatedImage image = ((ImageRegistry.Pull.Pulled) pull).image();
    sandbox = PodSandbox.create(node.workDir(), pod);
    Map<String, String> env = ContainerEnvironment.of(pod, container, image, sandbox, node.builtInSparkHome());
    OutputTail output = node.logs().start(namespace, name);
    try {
      List<String> command = new ArrayList<>(node.entrypoint().command(container, env, sandbox));
      command.set(0, ContainerEnvironment.executable(command.get(0), env).orElseThrow(() -> new IOException(
          "exec: \"" + command.get(0) + "\": executable file not found in $PATH")));
      ProcessBuilder builder = new ProcessBuilder(command).directory(sandbox.root().toFile()).redirectErrorStream(true);
      builder.environment().clear();
      builder.environment().putAll(env);
      Process started = builder.start();
      process = started;
      startedAt = Instant.now();
      Thread drain = new Thread(() -> output.drain(started.getInputStream()), "kubelet-log-" + name);
      drain.setDaemon(true);
      drain.start();
      started.onExit().thenRun(() -> submit("report exit", this::reportExit));
      log.info("Pod {} runs as local process {} ({})", name, started.pid(), describe(command));
      node.updates().setStatus(namespace, name, PodStatuses.running(container, started.pid(), startedAt));
    } catch (SparkImageEntrypoint.NotRunnable | IOException e) {
      log.warn("Pod {} failed to start: {}", name, e.getMessage());
      byte[] message = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
      output.append(message, message.length);
      exitReported = true;
      node.updates().setStatus(namespace, name,
          PodStatuses.terminated(container, 0, 128, "StartError", e.getMessage(), now, Instant.now()));
    }
  }

  private void reportExit() {
    if (exitReported || process == null || process.isAlive()) {
      return;
    }
    exitReported = true;
    int exitCode = process.exitValue();
    log.info("Pod {}: process {} exited with code {}", name, process.pid(), exitCode);
    node.updates().setStatus(namespace, name, PodStatuses.terminated(container, process.pid(), exitCode,
        exitCode == 0 ? "Completed" : "Error", null, startedAt, Instant.now()));
  }

  private void stop(Pod pod) throws InterruptedException {
    if (terminating) {
      return;
    }
    terminating = true;
    if (process != null && process.isAlive()) {
      long grace = Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(DEFAULT_GRACE_SECONDS);
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      if (!process.waitFor(grace, TimeUnit.SECONDS)) {
        log.warn("Pod {}: process {} outlived its {} s grace period, sending SIGKILL", name, process.pid(), grace);
        process.destroyForcibly().waitFor();
      }
      // The container's cgroup goes with it: whatever it started goes too.
      children.forEach(ProcessHandle::destroyForcibly);
      reportExit();
    }
    node.updates().removeFinalizer(namespace, name);
    log.info("Pod {} terminated and released", name);
  }

  private void kill() {
    Process running = process;
    if (running != null && running.isAlive()) {
      running.descendants().forEach(ProcessHandle::destroyForcibly);
      running.destroyForcibly();
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
