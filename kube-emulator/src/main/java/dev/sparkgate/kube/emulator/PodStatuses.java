package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The pod statuses a kubelet reports for the one container it runs per pod: waiting (the image would not pull),
 * running, terminated. Each is a whole status, as the kubelet owns {@code status} entirely.
 */
final class PodStatuses {

  private PodStatuses() {}

  /** Still {@code Pending}: the container never started, and says why. */
  static PodStatus waiting(Container container, String reason, String message, Instant since) {
    ContainerState state = new ContainerStateBuilder().withNewWaiting()
        .withReason(reason).withMessage(message).endWaiting().build();
    return base("Pending", since)
        .withConditions(conditions(since, false, "ContainersNotReady"))
        .addNewContainerStatus()
          .withName(container.getName()).withImage(container.getImage()).withImageID("")
          .withReady(false).withStarted(false).withRestartCount(0).withState(state)
        .endContainerStatus()
        .build();
  }

  static PodStatus running(Container container, long pid, Instant started) {
    ContainerState state = new ContainerStateBuilder().withNewRunning()
        .withStartedAt(timestamp(started)).endRunning().build();
    return base("Running", started)
        .withConditions(conditions(started, true, null))
        .withContainerStatuses(new ContainerStatusBuilder()
            .withName(container.getName()).withImage(container.getImage()).withImageID(imageId(container))
            .withContainerID(containerId(pid))
            .withReady(true).withStarted(true).withRestartCount(0).withState(state)
            .build())
        .build();
  }

  /**
   * {@code Succeeded} or {@code Failed} by exit code. A process ended by a signal reports 128 + the signal number
   * (SIGTERM 143, SIGKILL 137), as on a node. The container never started at all is exit code 128, {@code StartError}.
   */
  static PodStatus terminated(Container container, long pid, int exitCode, String reason, String message,
      Instant started, Instant finished) {
    ContainerState state = new ContainerStateBuilder().withNewTerminated()
        .withExitCode(exitCode).withReason(reason).withMessage(message)
        .withContainerID(pid > 0 ? containerId(pid) : null)
        .withStartedAt(timestamp(started)).withFinishedAt(timestamp(finished))
        .endTerminated().build();
    return base(exitCode == 0 ? "Succeeded" : "Failed", started)
        .withConditions(conditions(finished, false, exitCode == 0 ? "PodCompleted" : "PodFailed"))
        .withContainerStatuses(new ContainerStatusBuilder()
            .withName(container.getName()).withImage(container.getImage()).withImageID(imageId(container))
            .withContainerID(pid > 0 ? containerId(pid) : null)
            .withReady(false).withStarted(false).withRestartCount(0).withState(state)
            .build())
        .build();
  }

  private static PodStatusBuilder base(String phase, Instant started) {
    return new PodStatusBuilder()
        .withPhase(phase)
        .withHostIP(LocalKubelet.NODE_IP)
        .withPodIP(LocalKubelet.NODE_IP)
        .withPodIPs(new PodIPBuilder().withIp(LocalKubelet.NODE_IP).build())
        .withStartTime(timestamp(started))
        .withQosClass("Burstable");
  }

  private static List<PodCondition> conditions(Instant since, boolean ready, String notReadyReason) {
    String readiness = ready ? "True" : "False";
    return List.of(
        condition("Initialized", "True", null, since),
        condition("Ready", readiness, notReadyReason, since),
        condition("ContainersReady", readiness, notReadyReason, since),
        condition("PodScheduled", "True", null, since));
  }

  private static PodCondition condition(String type, String status, String reason, Instant since) {
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withLastTransitionTime(timestamp(since)).build();
  }

  /** A real node says {@code containerd://<id>}; the emulated one names the local process. */
  private static String containerId(long pid) {
    return "local://" + pid;
  }

  private static String imageId(Container container) {
    return "emulated://" + container.getImage();
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
