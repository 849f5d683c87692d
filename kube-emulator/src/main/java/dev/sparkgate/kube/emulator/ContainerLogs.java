package dev.sparkgate.kube.emulator;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's container logs, by pod and container: the kubelet writes them, the API server's {@code pods/{name}/log}
 * reads them ({@code ?container=} names an init container; without it, the pod's container). A pod's logs live as long
 * as the pod.
 */
final class ContainerLogs {

  private final Map<String, OutputTail> byContainer = new ConcurrentHashMap<>();
  private final Map<String, String> mainContainer = new ConcurrentHashMap<>();

  /** A fresh log for a container that is starting in this pod. */
  OutputTail start(String namespace, String pod, String container, boolean main) {
    OutputTail tail = new OutputTail(OutputTail.DEFAULT_LIMIT_BYTES);
    byContainer.put(key(namespace, pod) + "/" + container, tail);
    if (main) {
      mainContainer.put(key(namespace, pod), container);
    }
    return tail;
  }

  /** The log of {@code container} (null: the pod's container) once it has started. */
  Optional<OutputTail> of(String namespace, String pod, String container) {
    String name = container != null ? container : mainContainer.get(key(namespace, pod));
    return name == null ? Optional.empty() : Optional.ofNullable(byContainer.get(key(namespace, pod) + "/" + name));
  }

  void remove(String namespace, String pod) {
    String prefix = key(namespace, pod) + "/";
    byContainer.keySet().removeIf(key -> key.startsWith(prefix));
    mainContainer.remove(key(namespace, pod));
  }

  private static String key(String namespace, String pod) {
    return namespace + "/" + pod;
  }
}
