package dev.sparkgate.gateway.jupyter;

import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.errors.NotFound;
import dev.sparkgate.gateway.session.SessionManager;
import dev.sparkgate.gateway.session.SessionRequest;
import dev.sparkgate.jupyter.KernelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernels started through the Kernel Gateway API, by their Jupyter ids (UUIDs, which Jupyter Server's routes
 * require). Each one owns a Sparkgate session named after its id, so {@code GET /sessions/<kernel id>} finds it.
 */
final class GatewayKernels {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayKernels.class);

    private final SessionManager sessions;
    private final Map<String, GatewayKernel> kernels = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();

    GatewayKernels(SessionManager sessions) {
        this.sessions = sessions;
    }

    /** Starts a kernel of {@code spec}; {@code env} is Jupyter's {@code KERNEL_*} variables (the user among them). */
    GatewayKernel start(KernelSpec spec, Map<String, String> env) {
        String id = UUID.randomUUID().toString();
        String owner = env.get("KERNEL_USERNAME");
        SessionRequest request = new SessionRequest(spec.kind(), id, owner == null || owner.isBlank() ? null : owner,
                null, Map.of(), null, null, null, null, null, List.of(), List.of(), List.of(), List.of(), null, null,
                null);
        GatewayKernel kernel = new GatewayKernel(id, spec, request, sessions, restart -> shutdownRequested(id, restart));
        kernels.put(id, kernel);
        synchronized (order) {
            order.add(id);
        }
        LOG.info("kernel {}: started ({}) on session {}{}", id, spec.name(), kernel.sessionId(),
                owner == null ? "" : " for " + owner);
        return kernel;
    }

    GatewayKernel get(String id) {
        GatewayKernel kernel = kernels.get(id);
        if (kernel == null) {
            throw new NotFound("Kernel '" + id + "' not found: it was deleted, or the gateway restarted. "
                    + "Start a new kernel.");
        }
        return kernel;
    }

    List<GatewayKernel> list() {
        synchronized (order) {
            return order.stream().map(kernels::get).filter(k -> k != null).toList();
        }
    }

    void delete(String id) {
        GatewayKernel kernel = get(id);
        kernels.remove(id);
        synchronized (order) {
            order.remove(id);
        }
        kernel.shutdown();
        LOG.info("kernel {}: deleted", id);
    }

    /** A client sent {@code shutdown_request} on the channels: do what DELETE or restart would, off its thread. */
    private void shutdownRequested(String id, boolean restart) {
        Thread worker = new Thread(() -> {
            try {
                if (restart) {
                    get(id).restart();
                } else {
                    delete(id);
                }
            } catch (GatewayError goneMeanwhile) {
                // deleted through the REST API at the same moment
            }
        }, "kernel-shutdown-" + id);
        worker.setDaemon(true);
        worker.start();
    }
}
