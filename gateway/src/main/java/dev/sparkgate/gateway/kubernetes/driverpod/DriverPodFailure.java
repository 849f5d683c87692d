package dev.sparkgate.gateway.kubernetes.driverpod;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a driver pod will not (or no longer) serve its session, read from what Kubernetes reports of it, in words a
 * notebook user can act on: an image that cannot be pulled, no node with room for it, an OOM kill, an eviction, a
 * container that exited. Empty while the pod is on its way (Pending, pulling, Running).
 *
 * @param cause     one line: what happened and what to do
 * @param exitCode  the driver container's exit code, or -1 when it never ran
 * @param container the container that failed, whose output tells more; null when the pod as a whole did
 */
public record DriverPodFailure(String cause, int exitCode, String container) {

    static final int NEVER_RAN = -1;
    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull");
    private static final Set<String> START_FAILURES = Set.of("CreateContainerConfigError", "CreateContainerError",
            "RunContainerError", "StartError");

    /** What failed the pod, if anything has. */
    public static Optional<DriverPodFailure> of(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        if ("Evicted".equals(status.getReason())) {
            return Optional.of(new DriverPodFailure("the driver pod was evicted by Kubernetes: " + status.getMessage()
                    + " Start the session again; ask for less memory or a node with room to spare.", NEVER_RAN, null));
        }
        Optional<DriverPodFailure> container = containers(status).stream().map(DriverPodFailure::of)
                .flatMap(Optional::stream).findFirst();
        if (container.isPresent()) {
            return container;
        }
        for (PodCondition condition : status.getConditions() == null ? List.<PodCondition>of() : status.getConditions()) {
            if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())
                    && "Unschedulable".equals(condition.getReason())) {
                return Optional.of(new DriverPodFailure("no node can take the driver pod: " + condition.getMessage()
                        + ". Ask for less driverMemory or driverCores, or ask the operator for room.", NEVER_RAN, null));
            }
        }
        if ("Failed".equals(status.getPhase())) {
            return Optional.of(new DriverPodFailure("the driver pod failed" + (status.getMessage() == null ? ""
                    : ": " + status.getMessage()) + ".", NEVER_RAN, null));
        }
        return Optional.empty();
    }

    /** The init containers first: when the runtime's copy fails, the driver never starts. */
    private static List<ContainerStatus> containers(PodStatus status) {
        List<ContainerStatus> all = new ArrayList<>();
        if (status.getInitContainerStatuses() != null) {
            all.addAll(status.getInitContainerStatuses());
        }
        if (status.getContainerStatuses() != null) {
            all.addAll(status.getContainerStatuses());
        }
        return all;
    }

    private static Optional<DriverPodFailure> of(ContainerStatus container) {
        if (container.getState() == null) {
            return Optional.empty();
        }
        ContainerStateWaiting waiting = container.getState().getWaiting();
        if (waiting != null && PULL_FAILURES.contains(waiting.getReason())) {
            return Optional.of(new DriverPodFailure("image " + container.getImage() + " cannot be pulled ("
                    + waiting.getReason() + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage())
                    + "). Check the image's name and tag, and that the cluster may pull it "
                    + "(spark.kubernetes.container.image.pullSecrets).", NEVER_RAN, null));
        }
        if (waiting != null && START_FAILURES.contains(waiting.getReason())) {
            return Optional.of(new DriverPodFailure("container " + container.getName() + " could not start ("
                    + waiting.getReason() + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()) + ").",
                    NEVER_RAN, container.getName()));
        }
        ContainerStateTerminated terminated = container.getState().getTerminated();
        if (terminated == null) {
            return Optional.empty();
        }
        int code = terminated.getExitCode() == null ? NEVER_RAN : terminated.getExitCode();
        if ("OOMKilled".equals(terminated.getReason())) {
            return Optional.of(new DriverPodFailure("the driver ran out of memory (OOMKilled): raise driverMemory "
                    + "(or spark.driver.memoryOverhead for memory off the JVM heap, such as Python's).", code,
                    container.getName()));
        }
        if (code != 0) {
            return Optional.of(new DriverPodFailure("container " + container.getName() + " exited with code " + code
                    + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")")
                    + (terminated.getMessage() == null ? "" : ": " + terminated.getMessage())
                    + "; its last output is in the session's log.", code, container.getName()));
        }
        return Optional.empty();
    }

    /** The state to show for a pod: its phase, or the reason it is stuck or gone. */
    public static String state(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return "Pending";
        }
        if (status.getReason() != null) {
            return status.getReason();
        }
        for (ContainerStatus container : containers(status)) {
            if (container.getState() != null && container.getState().getWaiting() != null
                    && container.getState().getWaiting().getReason() != null
                    && !"PodInitializing".equals(container.getState().getWaiting().getReason())
                    && !"ContainerCreating".equals(container.getState().getWaiting().getReason())) {
                return container.getState().getWaiting().getReason();
            }
            if (container.getState() != null && container.getState().getTerminated() != null
                    && "OOMKilled".equals(container.getState().getTerminated().getReason())) {
                return "OOMKilled";
            }
        }
        return status.getPhase() == null ? "Pending" : status.getPhase();
    }
}
