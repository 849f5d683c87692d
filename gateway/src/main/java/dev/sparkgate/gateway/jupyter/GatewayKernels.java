package dev.sparkgate.gateway.jupyter;

import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.errors.NotFound;
import dev.sparkgate.gateway.identity.AuditLog;
import dev.sparkgate.gateway.identity.SessionAccess;
import dev.sparkgate.gateway.identity.User;
import dev.sparkgate.gateway.session.Session;
import dev.sparkgate.gateway.session.SessionManager;
import dev.sparkgate.gateway.session.SessionRequest;
import dev.sparkgate.gateway.session.Sharing;
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
 * A kernel is its creator's, or its {@code KERNEL_USERNAME}'s when the creator may act as another user
 * ({@link SessionAccess}); only they (and admins) see and drive it.
 */
final class GatewayKernels {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayKernels.class);

    private final SessionManager sessions;
    private final SessionAccess access;
    private final Map<String, GatewayKernel> kernels = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();

    GatewayKernels(SessionManager sessions, SessionAccess access) {
        this.sessions = sessions;
        this.access = access;
        adoptRecovered();
    }

    /**
     * The kernels of sessions a restarted gateway took back: a kernel's session is named after the kernel's id, so
     * the kernel is known again by the same id, and Jupyter Server's kernel (and its notebook) carries on.
     */
    private void adoptRecovered() {
        for (Session session : sessions.list()) {
            if (session.name() == null || !session.name().matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")
                    || KernelSpec.ALL.stream().noneMatch(spec -> spec.kind() == session.kind())) {
                continue;
            }
            String id = session.name();
            KernelSpec spec = KernelSpec.forKind(session.kind());
            String owner = session.spec().owner();
            SessionRequest request = request(spec, id).ownedBy(owner == null || owner.isBlank() ? null : owner,
                    session.ownerGroups(), session.sharing());
            add(new GatewayKernel(id, spec, request, sessions, session, restart -> shutdownRequested(id, restart)));
            LOG.info("kernel {}: taken back after a restart, on session {}", id, session.id());
        }
    }

    /**
     * Starts a kernel of {@code spec} for {@code user}; {@code env} is Jupyter's {@code KERNEL_*} variables (the
     * user they act for among them).
     */
    GatewayKernel start(KernelSpec spec, Map<String, String> env, User user) {
        String id = UUID.randomUUID().toString();
        SessionRequest request = access.claim(user, request(spec, id),
                env.get("KERNEL_USERNAME"), "KERNEL_USERNAME");
        String owner = request.owner();
        GatewayKernel kernel = new GatewayKernel(id, spec, request, sessions, restart -> shutdownRequested(id, restart));
        add(kernel);
        LOG.info("kernel {}: started ({}) on session {} for {}", id, spec.name(), kernel.sessionId(), owner);
        AuditLog.record(user, "create", "Kernel " + id, AuditLog.Outcome.allowed,
                "session " + kernel.sessionId() + ", owner " + owner);
        return kernel;
    }

    private void add(GatewayKernel kernel) {
        kernels.put(kernel.id(), kernel);
        synchronized (order) {
            order.add(kernel.id());
        }
    }

    /** A kernel's session, not yet anyone's: named after the kernel, so {@code GET /sessions/<kernel id>} finds it. */
    private static SessionRequest request(KernelSpec spec, String id) {
        return new SessionRequest(spec.kind(), id, null, null, Map.of(),
                null, null, null, null, null, List.of(), List.of(), List.of(), List.of(), null, null, null, Sharing.NONE);
    }

    /** Kernel {@code id}, if {@code user} may see it, or with {@code modify} act on it. */
    GatewayKernel get(String id, User user, boolean modify, String action) {
        GatewayKernel kernel = get(id);
        access.require(user, modify, "Kernel " + id, kernel.request().owner(), kernel.request().sharing(), action);
        return kernel;
    }

    private GatewayKernel get(String id) {
        GatewayKernel kernel = kernels.get(id);
        if (kernel == null) {
            throw new NotFound("Kernel '" + id + "' not found: it was deleted, or the gateway restarted. "
                    + "Start a new kernel.");
        }
        return kernel;
    }

    /** The kernels {@code user} may see. */
    List<GatewayKernel> list(User user) {
        synchronized (order) {
            return order.stream().map(kernels::get).filter(k -> k != null)
                    .filter(k -> access.canView(user, k.request().owner(), k.request().sharing())).toList();
        }
    }

    void delete(String id, User user) {
        get(id, user, true, "shut down");
        delete(id);
        AuditLog.record(user, "delete", "Kernel " + id, AuditLog.Outcome.allowed, null);
    }

    private void delete(String id) {
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
