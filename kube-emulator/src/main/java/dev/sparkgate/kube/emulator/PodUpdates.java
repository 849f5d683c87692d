package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.net.HttpURLConnection;
import java.util.function.UnaryOperator;

/**
 * The kubelet's writes to the API server, each on the latest version of the pod: its finalizer, and the status it
 * owns. A write that meets 409 Conflict (someone else changed the pod meanwhile, typically Spark deleting it) reads
 * the pod again and retries; a pod that is gone is not an error, only the end of the story.
 */
final class PodUpdates {

  private static final int ATTEMPTS = 10;

  private final KubernetesClient client;

  PodUpdates(KubernetesClient client) {
    this.client = client;
  }

  /** Binds the pod to the node ({@code spec.nodeName}) and adds the kubelet's finalizer; false if the pod is gone. */
  boolean bindAndAddFinalizer(String namespace, String name, String nodeName) {
    return edit(namespace, name, pod -> {
      PodBuilder bound = new PodBuilder(pod).editSpec().withNodeName(nodeName).endSpec();
      return pod.getMetadata().getFinalizers().contains(LocalKubelet.FINALIZER)
          ? bound.build()
          : bound.editMetadata().addToFinalizers(LocalKubelet.FINALIZER).endMetadata().build();
    });
  }

  /** The last word on a pod being deleted: without the finalizer the API server removes it. */
  boolean removeFinalizer(String namespace, String name) {
    return edit(namespace, name,
        pod -> new PodBuilder(pod).editMetadata().removeFromFinalizers(LocalKubelet.FINALIZER).endMetadata().build());
  }

  /** Returns false if the pod no longer exists. */
  boolean setStatus(String namespace, String name, PodStatus status) {
    return withRetries(() -> pod(namespace, name).editStatus(pod -> new PodBuilder(pod).withStatus(status).build()));
  }

  private boolean edit(String namespace, String name, UnaryOperator<Pod> change) {
    return withRetries(() -> pod(namespace, name).edit(change));
  }

  private PodResource pod(String namespace, String name) {
    return client.pods().inNamespace(namespace).withName(name);
  }

  private static boolean withRetries(Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return false;
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(20L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while retrying a pod update", e);
    }
  }
}
