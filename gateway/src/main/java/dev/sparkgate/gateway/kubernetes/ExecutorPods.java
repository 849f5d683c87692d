package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.kubernetes.steps.ExecutorLabelsStep;
import dev.sparkgate.protocol.SessionView.ExecutorView;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor pods this gateway is responsible for, by the labels it puts on them: watched to show each session's
 * executors, deleted when their session ends, reaped when no session owns them.
 */
final class ExecutorPods implements AutoCloseable {

    private static final String SESSION_LABEL = ExecutorLabelsStep.SESSION_LABEL;
    static final String GATEWAY_LABEL = ExecutorLabelsStep.GATEWAY_LABEL;
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorPods.class);

    private final KubernetesClient client;
    private final String instance;
    private final Map<String, SharedIndexInformer<Pod>> watched = new ConcurrentHashMap<>();

    ExecutorPods(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    /** Starts watching a namespace's pods of this gateway, once. */
    void watch(String namespace) {
        watched.computeIfAbsent(namespace, ns -> client.pods().inNamespace(ns).withLabel(GATEWAY_LABEL, instance)
                .inform());
    }

    List<ExecutorView> of(String namespace, int sessionId) {
        SharedIndexInformer<Pod> informer = watched.get(namespace);
        if (informer == null) {
            return List.of();
        }
        return informer.getStore().list().stream()
                .filter(pod -> String.valueOf(sessionId).equals(pod.getMetadata().getLabels().get(SESSION_LABEL)))
                // A session's driver pod (pod placement) carries the session's labels too; it is not an executor.
                .filter(pod -> !"driver".equals(pod.getMetadata().getLabels().get("spark-role")))
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .map(pod -> new ExecutorView(pod.getMetadata().getName(),
                        pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase(),
                        pod.getStatus() == null ? null : pod.getStatus().getPodIP()))
                .toList();
    }

    /** Deletes a session's executors; Spark usually has, but not when its driver died. */
    void deleteSession(String namespace, int sessionId) {
        client.pods().inNamespace(namespace).withLabels(ExecutorLabelsStep.labels(instance, sessionId)).delete();
    }

    /** Deletes this gateway's executor pods whose session is not among {@code live}. */
    void reapOrphans(String namespace, Set<Integer> live) {
        for (Pod pod : client.pods().inNamespace(namespace).withLabel(GATEWAY_LABEL, instance).list().getItems()) {
            String session = pod.getMetadata().getLabels().get(SESSION_LABEL);
            if (session == null || !live.contains(Integer.parseInt(session))) {
                LOG.info("reaping executor pod {} of session {}, which this gateway no longer runs",
                        pod.getMetadata().getName(), session);
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
            }
        }
    }

    @Override
    public void close() {
        watched.values().forEach(SharedIndexInformer::close);
    }
}
