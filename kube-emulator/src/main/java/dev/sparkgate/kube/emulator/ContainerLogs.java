package dev.sparkgate.kube.emulator;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's container logs, by pod: the kubelet writes them, the API server's {@code pods/{name}/log} reads them.
 * A pod's log lives as long as the pod.
 */
final class ContainerLogs {

  private final Map<String, OutputTail> byPod = new ConcurrentHashMap<>();

  /** A fresh log for a container that is starting in this pod. */
  OutputTail start(String namespace, String pod) {
    OutputTail tail = new OutputTail(OutputTail.DEFAULT_LIMIT_BYTES);
    byPod.put(key(namespace, pod), tail);
    return tail;
  }

  Optional<OutputTail> of(String namespace, String pod) {
    return Optional.ofNullable(byPod.get(key(namespace, pod)));
  }

  void remove(String namespace, String pod) {
    byPod.remove(key(namespace, pod));
  }

  private static String key(String namespace, String pod) {
    return namespace + "/" + pod;
  }
}
