package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the kubelet reports about one pod, kept as it changes and written whole, since the kubelet owns
 * {@code status}: the phase (and a pod-level reason such as {@code Evicted}), whether the pod is scheduled, and a
 * status per init container and for the container it runs, each waiting, running or terminated as a real kubelet shows
 * them ({@code PodInitializing}, {@code ErrImagePull}, exit codes, {@code OOMKilled}, ...). Confined to the pod's
 * worker thread.
 */
final class PodReport {

  private final Container main;
  private final List<Container> initContainers;
  private final String qosClass;
  private final Map<String, ContainerStatus> initStatuses = new LinkedHashMap<>();
  private ContainerStatus mainStatus;
  private String phase = "Pending";
  private String reason;
  private String message;
  private Instant startTime;

  PodReport(Container main, List<Container> initContainers) {
    this.main = main;
    this.initContainers = List.copyOf(initContainers);
    for (Container init : initContainers) {
      initStatuses.put(init.getName(), status(init, waitingState("PodInitializing", null), false, null));
    }
    this.mainStatus = status(main, waitingState(initContainers.isEmpty() ? "ContainerCreating" : "PodInitializing",
        null), false, null);
    List<Container> all = new ArrayList<>(initContainers);
    all.add(main);
    this.qosClass = qosClass(all);
  }

  /** The scheduler could not place the pod: Pending, PodScheduled=False, reason Unschedulable, and why. */
  static PodStatus unschedulable(String why) {
    return new PodStatusBuilder().withPhase("Pending")
        .withConditions(condition("PodScheduled", "False", "Unschedulable", why, Instant.now()))
        .build();
  }

  void scheduled(Instant at) {
    if (startTime == null) {
      startTime = at;
    }
  }

  /** Every container that has not started yet waits, for this reason (ErrImagePull, ContainerCreating, ...). */
  void waiting(Container container, String reason, String message) {
    put(container, status(container, waitingState(reason, message), false, null));
  }

  void running(Container container, long pid, Instant started) {
    ContainerState state = new ContainerStateBuilder().withNewRunning()
        .withStartedAt(timestamp(started)).endRunning().build();
    put(container, status(container, state, container == main, containerId(pid)));
    if (container == main) {
      phase = "Running";
    }
  }

  /**
   * The container's process ended (or never started: pid 0). A process ended by a signal reports 128 + the signal
   * number (SIGTERM 143, SIGKILL 137), as on a node.
   */
  void terminated(Container container, long pid, int exitCode, String reason, String message, Instant started,
      Instant finished) {
    ContainerState state = new ContainerStateBuilder().withNewTerminated()
        .withExitCode(exitCode).withReason(reason).withMessage(message)
        .withContainerID(pid > 0 ? containerId(pid) : null)
        .withStartedAt(timestamp(started)).withFinishedAt(timestamp(finished))
        .endTerminated().build();
    boolean initDone = container != main && exitCode == 0;
    put(container, status(container, state, initDone, pid > 0 ? containerId(pid) : null));
    if (container == main) {
      phase = exitCode == 0 ? "Succeeded" : "Failed";
    } else if (exitCode != 0) {
      // restartPolicy Never: a failed init container fails the pod (kubectl shows Init:Error).
      phase = "Failed";
    }
  }

  /** The node gave the pod up (eviction): Failed, with a reason and message of the pod's own. */
  void failed(String reason, String message) {
    this.phase = "Failed";
    this.reason = reason;
    this.message = message;
  }

  String phase() {
    return phase;
  }

  boolean finished() {
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  ContainerStatus statusOf(Container container) {
    return container == main ? mainStatus : initStatuses.get(container.getName());
  }

  PodStatus toStatus() {
    Instant now = Instant.now();
    return new PodStatusBuilder()
        .withPhase(phase)
        .withReason(reason)
        .withMessage(message)
        .withQosClass(qosClass)
        .withConditions(conditions(now))
        .withHostIP(LocalKubelet.NODE_IP)
        .withPodIP(LocalKubelet.NODE_IP)
        .withPodIPs(new PodIPBuilder().withIp(LocalKubelet.NODE_IP).build())
        .withStartTime(startTime == null ? null : timestamp(startTime))
        .withInitContainerStatuses(new ArrayList<>(initStatuses.values()))
        .withContainerStatuses(mainStatus)
        .build();
  }

  private List<PodCondition> conditions(Instant now) {
    boolean initialized = initStatuses.values().stream().allMatch(ContainerStatus::getReady);
    boolean ready = mainStatus.getReady();
    String notReady = finished() ? (phase.equals("Succeeded") ? "PodCompleted" : "PodFailed") : "ContainersNotReady";
    return List.of(
        condition("Initialized", initialized ? "True" : "False", initialized ? null : "ContainersNotInitialized",
            null, now),
        condition("Ready", ready ? "True" : "False", ready ? null : notReady, null, now),
        condition("ContainersReady", ready ? "True" : "False", ready ? null : notReady, null, now),
        condition("PodScheduled", "True", null, null, now));
  }

  private void put(Container container, ContainerStatus status) {
    if (container == main) {
      mainStatus = status;
    } else {
      initStatuses.put(container.getName(), status);
    }
  }

  private static ContainerState waitingState(String reason, String message) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
  }

  private static ContainerStatus status(Container container, ContainerState state, boolean ready, String id) {
    return new ContainerStatusBuilder()
        .withName(container.getName()).withImage(container.getImage())
        .withImageID(state.getWaiting() != null ? "" : "emulated://" + container.getImage())
        .withContainerID(id)
        .withReady(ready).withStarted(state.getRunning() != null).withRestartCount(0).withState(state)
        .build();
  }

  private static PodCondition condition(String type, String status, String reason, String message, Instant since) {
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(timestamp(since)).build();
  }

  /** Kubernetes' QoS classes: Guaranteed (limits = requests for cpu and memory everywhere), BestEffort (none). */
  private static String qosClass(List<Container> containers) {
    boolean any = false;
    boolean guaranteed = true;
    for (Container container : containers) {
      ResourceRequirements resources = container.getResources();
      Map<String, Quantity> requests = resources == null || resources.getRequests() == null
          ? Map.of() : resources.getRequests();
      Map<String, Quantity> limits = resources == null || resources.getLimits() == null
          ? Map.of() : resources.getLimits();
      any |= !requests.isEmpty() || !limits.isEmpty();
      for (String resource : List.of("cpu", "memory")) {
        Quantity limit = limits.get(resource);
        Quantity request = requests.getOrDefault(resource, limit);
        guaranteed &= limit != null && Objects.equals(Quantity.getAmountInBytes(limit),
            Quantity.getAmountInBytes(request));
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  /** A real node says {@code containerd://<id>}; the emulated one names the local process. */
  private static String containerId(long pid) {
    return "local://" + pid;
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
