package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.GatewayException;
import dev.sparkgate.client.SessionEndedException;
import dev.sparkgate.client.SessionStream;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The kernel's Sparkgate session, over the network: created (or found by name) through the gateway's REST API, then
 * driven over its stream ({@link SessionStream}, which resumes a dropped connection by itself, so a running cell goes on).
 * Connecting happens in the background from the kernel's start, so the session boots while Jupyter connects. A stream
 * that gave up is re-made on the next cell; a session that ended stays ended, and every cell says so until the kernel
 * is restarted.
 */
final class RemoteSession implements KernelSession, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("sparkgate.kernel");

    private final KernelConfig config;
    private final GatewayClient client;
    private final ExecutorService connector = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "sparkgate-connect");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean closing = new AtomicBoolean();
    private CompletableFuture<Void> attempt;
    private String endedBecause;
    private volatile SessionStream stream;
    private volatile int sessionId = -1;
    private volatile boolean attached;

    RemoteSession(KernelConfig config) {
        this.config = config;
        this.client = config.problem() == null ? new GatewayClient(config.gateway(), config.token()) : null;
    }

    // ---- connecting ------------------------------------------------------------------------------------------

    @Override
    public synchronized CompletableFuture<Void> ready() {
        SessionStream current = stream;
        if (current != null && current.failure().orElse(null) instanceof SessionEndedException ended) {
            end(endedMessage(ended));
        }
        String problem = config.problem() != null ? config.problem() : endedBecause;
        if (problem != null) {
            return CompletableFuture.failedFuture(new KernelUnavailableException(problem));
        }
        // the client resumes a dropped stream by itself; only one that gave up on the gateway is made anew
        boolean gaveUp = current != null && !current.usable() && attempt != null && attempt.isDone();
        if (attempt == null || attempt.isCompletedExceptionally() || gaveUp) {
            CompletableFuture<Void> next = new CompletableFuture<>();
            attempt = next;
            connector.execute(() -> connect(next));
        }
        return attempt;
    }

    private void connect(CompletableFuture<Void> attempt) {
        try {
            SessionView session = sessionId < 0 ? findOrCreate() : stillThere();
            SessionStream opened = client.openStream(session.id());
            stream = opened;
            // the session's state, which the stream sends first and on every change, says when it can run cells
            opened.active().whenComplete((view, failure) -> {
                if (failure == null) {
                    attempt.complete(null);
                } else {
                    attempt.completeExceptionally(unavailable(failure));
                }
            });
        } catch (RuntimeException e) {
            attempt.completeExceptionally(unavailable(e));
        }
    }

    /** What a cell says when the session cannot run it. */
    private KernelUnavailableException unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof SessionEndedException ended) {
            return end(endedMessage(ended));
        }
        if (cause instanceof KernelUnavailableException unavailable) {
            return unavailable;
        }
        if (cause instanceof GatewayException e) {
            return new KernelUnavailableException(e.getMessage(), e);
        }
        return new KernelUnavailableException("Could not connect to the Sparkgate gateway at " + config.gateway()
                + ": " + cause, cause);
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

    private static String endedMessage(SessionEndedException ended) {
        String what = switch (ended.state()) {
            case error -> "could not start.";
            case killed -> "was deleted (by its owner, or after idling).";
            default -> "has ended (" + ended.state() + ").";
        };
        return "The Sparkgate session " + ended.sessionId() + " behind this kernel " + what
                + (ended.cause().isBlank() ? "" : " " + ended.cause())
                + " Restart the kernel to start a new session.";
    }

    // ---- statements ------------------------------------------------------------------------------------------

    @Override
    public int submit(String code, Consumer<StatementEvent> events) {
        try {
            return connected().execute(config.spec().kind().name(), code, events);
        } catch (SessionEndedException e) {
            throw end(endedMessage(e));
        } catch (GatewayException e) {
            throw new KernelUnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public void cancel(int statementId) {
        SessionStream current = stream;
        if (current != null) {
            LOG.log(System.Logger.Level.INFO, "cancelling statement " + statementId + " of session " + current.sessionId());
            current.cancel(statementId);
        } else {
            LOG.log(System.Logger.Level.WARNING, "cannot cancel statement " + statementId + ": no stream to the session");
        }
    }

    @Override
    public <A extends InterpreterAnswer> A ask(InterpreterQuestion<A> question) {
        try {
            return connected().ask(config.spec().kind().name(), question);
        } catch (GatewayException e) {
            throw new KernelUnavailableException(e.getMessage(), e);
        }
    }

    private SessionStream connected() {
        SessionStream current = stream;
        if (current == null) {
            throw new KernelUnavailableException("Not connected to the Sparkgate gateway at " + config.gateway() + ".");
        }
        return current;
    }

    /** The gateway's proxy of the session's Spark UI, on the address this kernel reaches the gateway at. */
    @Override
    public java.util.Optional<String> sparkUiUrl() {
        int id = sessionId;
        return client == null || id < 0 ? java.util.Optional.empty()
                : java.util.Optional.of(client.base().resolve("/sessions/" + id + "/ui/").toString());
    }

    @Override
    public String describe() {
        SessionView current = stream == null ? null : stream.session();
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
