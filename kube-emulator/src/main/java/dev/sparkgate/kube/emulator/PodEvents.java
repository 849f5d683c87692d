package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events a scheduler and kubelet record about a pod, as {@code kubectl describe pod} and {@code kubectl get events}
 * show them: {@code FailedScheduling}, {@code FailedMount}, {@code Failed} (config errors), {@code Evicted}. Recording
 * is best effort, as in Kubernetes: a failure is logged, never raised.
 */
final class PodEvents {

  private static final Logger log = LoggerFactory.getLogger(PodEvents.class);

  private PodEvents() {}

  static void warning(KubernetesClient client, Pod pod, String source, String reason, String message) {
    String now = PodReport.timestamp(Instant.now());
    try {
      client.v1().events().inNamespace(pod.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata()
            .withName(pod.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
            .withNamespace(pod.getMetadata().getNamespace())
          .endMetadata()
          .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
            .withNamespace(pod.getMetadata().getNamespace()).withUid(pod.getMetadata().getUid()).endInvolvedObject()
          .withType("Warning").withReason(reason).withMessage(message)
          .withNewSource().withComponent(source).endSource()
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .build()).create();
    } catch (KubernetesClientException e) {
      log.debug("Could not record event {} for pod {}: {}", reason, pod.getMetadata().getName(), e.getMessage());
    }
  }
}
