package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.bridge.client.GatewayClient;
import dev.sparkgate.bridge.client.GatewayException;
import dev.sparkgate.bridge.client.SessionStream;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.SessionView;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;
import dev.sparkgate.jupyter.KernelSession;
import dev.sparkgate.jupyter.KernelUnavailableException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The kernel's Sparkgate session, over the network: created (or found by name) through the gateway's REST API, then
 * driven over its stream. Connecting happens in the background from the kernel's start, so the session boots while
 * Jupyter connects. A lost connection is re-made on the next cell; a session that ended stays ended, and every cell
 * says so until the kernel is restarted.
 */
final class RemoteSession implements KernelSession, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("sparkgate.kernel");

    private final KernelConfig config;
    private final GatewayClient client;
    private final StatementRouter router = new StatementRouter();
    private final ExecutorService connector = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "sparkgate-connect");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean closing = new AtomicBoolean();
    private CompletableFuture<Void> attempt;
    private String endedBecause;
    private volatile SessionStream stream;
    private volatile SessionView view;
    private volatile int sessionId = -1;
    private volatile boolean attached;

    RemoteSession(KernelConfig config) {
        this.config = config;
        this.client = config.problem() == null ? new GatewayClient(config.gateway(), config.token()) : null;
    }

    // ---- connecting ------------------------------------------------------------------------------------------

    @Override
    public synchronized CompletableFuture<Void> ready() {
        String problem = config.problem() != null ? config.problem() : endedBecause;
        if (problem != null) {
            return CompletableFuture.failedFuture(new KernelUnavailableException(problem));
        }
        if (attempt == null || attempt.isCompletedExceptionally()) {
            CompletableFuture<Void> next = new CompletableFuture<>();
            attempt = next;
            connector.execute(() -> connect(next));
        }
        return attempt;
    }

    private void connect(CompletableFuture<Void> attempt) {
        try {
            SessionView session = sessionId < 0 ? findOrCreate() : stillThere();
            Listener listener = new Listener(session.id());
            stream = client.openStream(session.id(), listener);
            // settled by the session's state, which the stream sends first; only now that the stream is in place
            listener.usable.whenComplete((ok, failure) -> {
                if (failure == null) {
                    attempt.complete(null);
                } else {
                    attempt.completeExceptionally(failure);
                }
            });
        } catch (GatewayException e) {
            attempt.completeExceptionally(new KernelUnavailableException(e.getMessage(), e));
        } catch (RuntimeException e) {
            attempt.completeExceptionally(e instanceof KernelUnavailableException ? e
                    : new KernelUnavailableException("Could not connect to the Sparkgate gateway at "
                    + config.gateway() + ": " + e, e));
        }
    }

    private SessionView findOrCreate() {
        String name = config.sessionName();
        Kind kind = config.spec().kind();
        if (name != null) {
            SessionView existing = client.findSession(name);
            if (existing != null) {
                Kind sessionKind = Kind.parse(existing.kind()).orElse(Kind.shared);
                if (!sessionKind.runs(kind)) {
                    throw end("The Sparkgate session '" + name + "' is a " + sessionKind + " session; this "
                            + config.spec().displayName() + " kernel needs a " + kind + " or shared session. "
                            + "Name another session in " + KernelConfig.SESSION_NAME + ", or leave it empty.");
                }
                attached = true;
                sessionId = existing.id();
                LOG.log(System.Logger.Level.INFO, "attached to session " + existing.id() + " (" + name + ")");
                return existing;
            }
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", kind.name());
        if (name != null) {
            request.put("name", name);
        }
        if (!config.sessionConf().isEmpty()) {
            request.put("conf", config.sessionConf());
        }
        SessionView created = client.createSession(request);
        sessionId = created.id();
        LOG.log(System.Logger.Level.INFO, "created session " + created.id() + " (" + kind + ")");
        return created;
    }

    /** After a lost connection: the session, if the gateway still has it. */
    private SessionView stillThere() {
        SessionView session = client.findSession(String.valueOf(sessionId));
        if (session == null) {
            throw end("The Sparkgate session " + sessionId + " behind this kernel is gone (deleted, culled after "
                    + "idling, or its gateway restarted). Restart the kernel to start a new session.");
        }
        return session;
    }

    /** The session is over for this kernel: every cell from now on says {@code why}. */
    private synchronized KernelUnavailableException end(String why) {
        endedBecause = why;
        return new KernelUnavailableException(why);
    }

    /** Watches the session's stream: its state settles readiness, its events go to their statements. */
    private final class Listener implements SessionStream.Listener {
        private final int session;
        final CompletableFuture<Void> usable = new CompletableFuture<>();

        Listener(int session) {
            this.session = session;
        }

        @Override
        public void onUpdate(StreamUpdate update) {
            if (update instanceof StreamUpdate.Event event) {
                router.route(event.event());
            } else if (update instanceof StreamUpdate.Session s) {
                view = s.session();
                if (s.session().state().active()) {
                    usable.complete(null);
                } else if (s.session().state().over()) {
                    usable.completeExceptionally(end(endedMessage(s.session())));
                }
            }
        }

        @Override
        public void onClosed(int code, String reason) {
            String why = reason == null || reason.isBlank() ? "code " + code : reason;
            if (!closing.get()) {
                LOG.log(System.Logger.Level.WARNING, "the stream of session " + session + " closed: " + why);
            }
            router.abandonAll(new StatementEvent.ErrorInfo("ConnectionLost", "The connection to the Sparkgate gateway "
                    + "closed while this cell ran (" + why + "); the cell may still be running in session " + session
                    + ". The next cell reconnects.", List.of()));
            KernelUnavailableException lost = why.contains("deleted")
                    ? end("The Sparkgate session " + session + " behind this kernel was deleted. "
                    + "Restart the kernel to start a new session.")
                    : new KernelUnavailableException("Lost the connection to the Sparkgate gateway at "
                    + config.gateway() + " (" + why + ").");
            usable.completeExceptionally(lost);
            stream = null;
            synchronized (RemoteSession.this) {
                attempt = null;
            }
        }
    }

    private static String endedMessage(SessionView session) {
        List<String> log = session.log() == null ? List.of() : session.log();
        String cause = log.isEmpty() ? "" : " " + log.get(log.size() - 1);
        String what = session.state() == SessionState.error ? "could not start." : "is " + session.state() + ".";
        return "The Sparkgate session " + session.id() + " behind this kernel " + what + cause
                + " Restart the kernel to start a new session.";
    }

    // ---- statements ------------------------------------------------------------------------------------------

    @Override
    public int submit(String code, Consumer<StatementEvent> events) {
        SessionStream current = stream;
        if (current == null || !current.isOpen()) {
            throw new KernelUnavailableException("The connection to the Sparkgate gateway at " + config.gateway()
                    + " closed; run the cell again to reconnect.");
        }
        int statementId;
        try {
            statementId = current.execute(config.spec().kind().name(), code);
        } catch (GatewayException e) {
            if (e.status() == 409) {
                // the session has ended (the gateway says how): nothing will run in it again
                throw end("The Sparkgate session " + sessionId + " behind this kernel has ended: " + e.getMessage()
                        + " Restart the kernel to start a new session.");
            }
            throw new KernelUnavailableException(e.getMessage(), e);
        }
        router.claim(statementId, events);
        return statementId;
    }

    @Override
    public void cancel(int statementId) {
        SessionStream current = stream;
        if (current != null && current.isOpen()) {
            current.cancel(statementId);
        }
    }

    @Override
    public <A extends InterpreterAnswer> A ask(InterpreterQuestion<A> question) {
        try {
            return openStream().ask(config.spec().kind().name(), question);
        } catch (GatewayException e) {
            throw new KernelUnavailableException(e.getMessage(), e);
        }
    }

    private SessionStream openStream() {
        SessionStream current = stream;
        if (current == null || !current.isOpen()) {
            throw new KernelUnavailableException("Not connected to the Sparkgate gateway.");
        }
        return current;
    }

    @Override
    public String describe() {
        SessionView current = view;
        String where = "Sparkgate " + config.gateway().toString().replaceAll("/$", "");
        if (current == null) {
            return where;
        }
        return where + ", session " + current.id() + (current.driver() == null ? ""
                : ", Spark " + current.driver().sparkVersion() + " on " + current.driver().master());
    }

    // ---- the end ---------------------------------------------------------------------------------------------

    /** Deletes the session unless the kernel attached to it, then lets go of the gateway. Safe to call twice. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        connector.shutdownNow();
        SessionStream current = stream;
        if (current != null) {
            current.close();
        }
        if (client != null && sessionId >= 0 && !attached) {
            try {
                client.deleteSession(sessionId);
                LOG.log(System.Logger.Level.INFO, "deleted session " + sessionId);
            } catch (GatewayException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete session " + sessionId + ": " + e.getMessage());
            }
        }
    }
}
