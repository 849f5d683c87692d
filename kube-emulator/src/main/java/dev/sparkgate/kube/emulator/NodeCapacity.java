package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler's arithmetic for the one node: what a pod requests, and whether it fits beside the pods already bound.
 * A pod requests the sum of its containers' requests (a container's limit stands for a request it does not state, as
 * Kubernetes defaults it), or its largest init container's if that is more, since init containers run one at a time.
 * Without a configured capacity every pod fits.
 */
final class NodeCapacity {

  /** CPU in millicores, memory in bytes. */
  record Resources(long milliCpu, long memoryBytes) {
    static final Resources NONE = new Resources(0, 0);

    Resources plus(Resources other) {
      return new Resources(milliCpu + other.milliCpu, memoryBytes + other.memoryBytes);
    }

    Resources max(Resources other) {
      return new Resources(Math.max(milliCpu, other.milliCpu), Math.max(memoryBytes, other.memoryBytes));
    }
  }

  private final Optional<Resources> capacity;
  private final Map<String, Resources> bound = new LinkedHashMap<>();

  NodeCapacity(Optional<Resources> capacity) {
    this.capacity = capacity;
  }

  Optional<Resources> capacity() {
    return capacity;
  }

  /**
   * Binds the pod if it fits, and says nothing; else says why not, as the scheduler's message does
   * ({@code 0/1 nodes are available: 1 Insufficient memory.}).
   */
  synchronized Optional<String> tryBind(String key, Pod pod) {
    if (bound.containsKey(key)) {
      return Optional.empty();
    }
    Resources asked = requestsOf(pod);
    if (capacity.isPresent()) {
      Resources used = bound.values().stream().reduce(Resources.NONE, Resources::plus);
      List<String> insufficient = new ArrayList<>();
      if (used.milliCpu() + asked.milliCpu() > capacity.get().milliCpu()) {
        insufficient.add("1 Insufficient cpu");
      }
      if (used.memoryBytes() + asked.memoryBytes() > capacity.get().memoryBytes()) {
        insufficient.add("1 Insufficient memory");
      }
      if (!insufficient.isEmpty()) {
        return Optional.of("0/1 nodes are available: " + String.join(", ", insufficient) + ".");
      }
    }
    bound.put(key, asked);
    return Optional.empty();
  }

  /** The pod finished or went away: its requests no longer count. Idempotent. */
  synchronized void release(String key) {
    bound.remove(key);
  }

  static Resources requestsOf(Pod pod) {
    Resources containers = pod.getSpec().getContainers().stream().map(NodeCapacity::requestsOf)
        .reduce(Resources.NONE, Resources::plus);
    Resources init = pod.getSpec().getInitContainers().stream().map(NodeCapacity::requestsOf)
        .reduce(Resources.NONE, Resources::max);
    return containers.max(init);
  }

  private static Resources requestsOf(Container container) {
    if (container.getResources() == null) {
      return Resources.NONE;
    }
    Map<String, Quantity> requests = Optional.ofNullable(container.getResources().getRequests()).orElse(Map.of());
    Map<String, Quantity> limits = Optional.ofNullable(container.getResources().getLimits()).orElse(Map.of());
    Quantity cpu = requests.getOrDefault("cpu", limits.get("cpu"));
    Quantity memory = requests.getOrDefault("memory", limits.get("memory"));
    return new Resources(
        cpu == null ? 0 : Quantity.getAmountInBytes(cpu).multiply(BigDecimal.valueOf(1000)).longValue(),
        memory == null ? 0 : Quantity.getAmountInBytes(memory).longValue());
  }

  /** A container's memory limit in bytes, if it has one. */
  static Optional<Long> memoryLimitOf(Container container) {
    return Optional.ofNullable(container.getResources())
        .map(resources -> resources.getLimits())
        .map(limits -> limits.get("memory"))
        .map(limit -> Quantity.getAmountInBytes(limit).longValue());
  }
}
