package dev.sparkgate.driver;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.PoolClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pooled driver pod's claim: the gateway writes it as an annotation of the driver's own pod when a session takes
 * the pod, and the driver, which may get and watch its own pod (the driver Role), hears of it through a watch. The
 * annotation holds no secret: the session's secret is the one the pod was started with (its Secret, mounted as a
 * file), so the claim's secret file is the driver's own {@code SPARKGATE_SESSION_SECRET_FILE}.
 */
final class PodClaims {

    /** The annotation the gateway writes at take time ({@code PodPool.CLAIM_ANNOTATION} on the gateway's side). */
    static final String ANNOTATION = "sparkgate.dev/pool-claim";
    /**
     * The pod is also read this often: a watch's events can be late or missing (an API server restart; on the emulated
     * cluster a claim waited for the next read), and a user waits for this claim.
     */
    private static final long LOOK_AGAIN_MILLIS = 250;

    private PodClaims() {
    }

    /** Waits for the claim on pod {@code name} in {@code namespace}; returns it with {@code secretFile} as its secret. */
    static PoolClaim await(String namespace, String name, String secretFile) throws InterruptedException {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            CompletableFuture<String> claimed = new CompletableFuture<>();
            Watch watch = null;
            try {
                watch = client.pods().inNamespace(namespace).withName(name).watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                        String claim = claimOf(pod);
                        if (claim != null) {
                            claimed.complete(claim);
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // the pod is read anyway, below
                    }
                });
            } catch (RuntimeException noWatch) {
                // read below
            }
            try {
                while (true) {
                    try {
                        String now = claimOf(client.pods().inNamespace(namespace).withName(name).get());
                        if (now != null) {
                            return read(now, secretFile);
                        }
                    } catch (RuntimeException unreachable) {
                        // the API server out of reach for a moment: look again
                    }
                    try {
                        return read(claimed.get(LOOK_AGAIN_MILLIS, TimeUnit.MILLISECONDS), secretFile);
                    } catch (TimeoutException | ExecutionException notYet) {
                        // look again
                    }
                }
            } finally {
                if (watch != null) {
                    watch.close();
                }
            }
        }
    }

    private static PoolClaim read(String claim, String secretFile) {
        PoolClaim read = Json.read(claim, PoolClaim.class);
        return new PoolClaim(read.link(), secretFile, read.spec());
    }

    private static String claimOf(Pod pod) {
        Map<String, String> annotations = pod == null ? null : pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ANNOTATION);
    }
}
