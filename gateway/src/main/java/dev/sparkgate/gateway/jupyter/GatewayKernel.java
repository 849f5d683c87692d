package dev.sparkgate.gateway.jupyter;

import dev.sparkgate.gateway.errors.SessionNotFound;
import dev.sparkgate.gateway.session.Session;
import dev.sparkgate.gateway.session.SessionManager;
import dev.sparkgate.gateway.session.SessionRequest;
import dev.sparkgate.gateway.websocket.WsOutbox;
import dev.sparkgate.jupyter.JupyterMessage;
import dev.sparkgate.jupyter.Kernel;
import dev.sparkgate.jupyter.KernelSpec;
import dev.sparkgate.protocol.Json;
import io.javalin.websocket.WsContext;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One kernel of the Kernel Gateway API: a Sparkgate session (visible in the Livy API under the kernel's id as its
 * name), the Jupyter {@link Kernel} over it, and the WebSocket clients connected to it. Replies go to the client
 * that asked; iopub goes to every client, as Jupyter Server does with a kernel's iopub socket.
 */
final class GatewayKernel {

    private final String id;
    private final KernelSpec spec;
    private final SessionRequest request;
    private final SessionManager sessions;
    private final InProcessSession session;
    private final Kernel kernel;
    /** Each client with its bounded outbox: a client that stops reading is cut off, not held in the heap. */
    private final Map<WsContext, WsOutbox> clients = new ConcurrentHashMap<>();
    private volatile Instant lastActivity = Instant.now();

    /** {@code onShutdownRequest} deletes this kernel when a client asks it to shut down over its channels. */
    GatewayKernel(String id, KernelSpec spec, SessionRequest request, SessionManager sessions,
                  Kernel.ShutdownHandler onShutdownRequest) {
        this(id, spec, request, sessions, sessions.create(request), onShutdownRequest);
    }

    /** A kernel on a session that exists already: one a restarted gateway took back (its name is the kernel's id). */
    GatewayKernel(String id, KernelSpec spec, SessionRequest request, SessionManager sessions, Session existing,
                  Kernel.ShutdownHandler onShutdownRequest) {
        this.id = id;
        this.spec = spec;
        this.request = request;
        this.sessions = sessions;
        this.session = new InProcessSession(existing, spec.kind());
        String username = request.owner() == null ? "sparkgate" : request.owner();
        this.kernel = new Kernel(spec, session, this::publish, onShutdownRequest, username);
    }

    String id() {
        return id;
    }

    /** What it was started with: its owner and sharing among it. */
    SessionRequest request() {
        return request;
    }

    /** The Sparkgate session behind the kernel now (a restart replaces it). */
    int sessionId() {
        return session.session().id();
    }

    KernelModel model() {
        String sessionState = session.executionState();
        String state = sessionState.equals("idle") ? kernel.executionState() : sessionState;
        return new KernelModel(id, spec.name(), KernelModel.timestamp(lastActivity), state, clients.size());
    }

    void connect(WsContext client, WsOutbox outbox) {
        clients.put(client, outbox);
        touch();
    }

    void disconnect(WsContext client) {
        clients.remove(client);
    }

    void receive(WsContext client, JupyterMessage message) {
        touch();
        kernel.handle(message, reply -> {
            touch();
            WsOutbox outbox = clients.get(client);
            if (outbox != null) {
                outbox.send(Json.write(reply));
            }
        });
    }

    void interrupt() {
        touch();
        kernel.interrupt();
    }

    /** A new session in place of the old one, with the same request; the kernel starts over on it. */
    synchronized void restart() {
        kernel.interrupt();
        deleteSession();
        session.rebind(sessions.create(request));
        kernel.reset();
        touch();
    }

    /** Stops the kernel and deletes its session; returns once the session's driver is gone. */
    synchronized void shutdown() {
        kernel.close();
        deleteSession();
        session.close();
        clients.keySet().forEach(client -> client.closeSession(1000, "kernel deleted"));
        clients.clear();
    }

    private void deleteSession() {
        try {
            sessions.delete(String.valueOf(session.session().id()));
        } catch (SessionNotFound alreadyGone) {
            // deleted through the Livy API, or culled: nothing left to stop
        }
    }

    private void publish(JupyterMessage message) {
        touch();
        String text = Json.write(message);  // once, whatever the number of clients
        clients.values().forEach(outbox -> outbox.send(text));
    }

    private void touch() {
        lastActivity = Instant.now();
    }
}
