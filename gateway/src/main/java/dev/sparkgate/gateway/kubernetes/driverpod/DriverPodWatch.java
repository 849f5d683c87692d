package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverLabelsStep;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorLabelsStep;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This gateway's driver pods, watched (not polled): one informer per namespace for all sessions, which tells each
 * session's {@link Listener} of every change to its pod and of its deletion, as the API server reports them. No
 * thread per session.
 */
final class DriverPodWatch implements AutoCloseable {

    /** One driver pod's news. Called on the informer's thread: quick, never blocking. */
    interface Listener {
        void changed(Pod pod);

        void deleted(Pod pod);
    }

    private final KubernetesClient client;
    private final String instance;
    private final Map<String, SharedIndexInformer<Pod>> informers = new ConcurrentHashMap<>();
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

    DriverPodWatch(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    /** Starts watching a namespace's driver pods of this gateway, once. */
    void watch(String namespace) {
        informers.computeIfAbsent(namespace, ns -> client.pods().inNamespace(ns)
                .withLabel(ExecutorLabelsStep.GATEWAY_LABEL, instance)
                .withLabel(DriverLabelsStep.ROLE_LABEL, "driver")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        tell(pod, false);
                    }

                    @Override
                    public void onUpdate(Pod before, Pod pod) {
                        tell(pod, false);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        tell(pod, true);
                    }
                }));
    }

    /** Tells {@code listener} of pod {@code podName}'s news from now on, until {@link #forget}. */
    void listen(String podName, Listener listener) {
        listeners.put(podName, listener);
    }

    void forget(String podName) {
        listeners.remove(podName);
    }

    private void tell(Pod pod, boolean deleted) {
        Listener listener = listeners.get(pod.getMetadata().getName());
        if (listener == null) {
            return;
        }
        if (deleted) {
            listener.deleted(pod);
        } else {
            listener.changed(pod);
        }
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
    }
}
