package dev.sparkgate.gateway.jupyter;

import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.session.Session;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.gateway.session.SessionSubscriber;
import dev.sparkgate.protocol.DriverInfo;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionView;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;
import dev.sparkgate.jupyter.KernelSession;
import dev.sparkgate.jupyter.KernelUnavailableException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A gateway session as a Kernel Gateway kernel uses it, in this JVM: statements go straight to {@link Session}, and
 * the kernel watches the session like any stream client does. A restart {@link #rebind rebinds} it to a fresh session.
 */
final class InProcessSession implements KernelSession, SessionSubscriber {

    private static final long QUESTION_TIMEOUT_SECONDS = 10;

    private final Kind kind;
    private final Map<Integer, Consumer<StatementEvent>> statements = new ConcurrentHashMap<>();
    private volatile Session session;
    private volatile SessionView view;
    private volatile CompletableFuture<Void> ready = new CompletableFuture<>();

    InProcessSession(Session session, Kind kind) {
        this.kind = kind;
        rebind(session);
    }

    Session session() {
        return session;
    }

    /** Watches {@code fresh} from now on; the statements of the session before have all finished by now. */
    synchronized void rebind(Session fresh) {
        if (session != null) {
            session.unsubscribe(this);
        }
        ready = new CompletableFuture<>();
        view = null;
        session = fresh;
        fresh.subscribe(this, Long.MAX_VALUE);
    }

    void close() {
        session.unsubscribe(this);
    }

    /** The session's state as Jupyter's {@code execution_state} names it. */
    String executionState() {
        SessionState state = session.state();
        if (state.starting()) {
            return "starting";
        }
        if (state.over()) {
            return "dead";
        }
        return state == SessionState.idle ? "idle" : "busy";
    }

    // ---- watching the session (called under its lock: never block) -----------------------------------------

    @Override
    public void send(StreamUpdate update) {
        if (update instanceof StreamUpdate.Session s) {
            view = s.session();
            SessionState state = s.session().state();
            if (state.active()) {
                ready.complete(null);
            } else if (state.over()) {
                endedWith(state.name());
            }
        } else if (update instanceof StreamUpdate.Event e) {
            StatementEvent event = e.event();
            Consumer<StatementEvent> events = event instanceof StatementEvent.Finished
                    ? statements.remove(event.statementId()) : statements.get(event.statementId());
            if (events != null) {
                events.accept(event);
            }
        }
    }

    @Override
    public void sessionClosed() {
        endedWith("deleted");
    }

    private void endedWith(String state) {
        SessionView last = view;
        List<String> log = last == null || last.log() == null ? List.of() : last.log();
        String cause = log.isEmpty() ? "" : " " + log.get(log.size() - 1);
        KernelUnavailableException why = new KernelUnavailableException("The Sparkgate session " + session.id()
                + " behind this kernel is " + state + "." + cause + " Restart the kernel to start a new session.");
        if (!ready.completeExceptionally(why)) {
            ready = CompletableFuture.failedFuture(why);
        }
    }

    // ---- KernelSession -----------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> ready() {
        return ready;
    }

    @Override
    public int submit(String code, Consumer<StatementEvent> events) {
        try {
            return session.submit(kind.name(), code, statement -> statements.put(statement.id(), events)).id();
        } catch (GatewayError refused) {
            throw new KernelUnavailableException(refused.getMessage(), refused);
        }
    }

    @Override
    public void cancel(int statementId) {
        try {
            session.cancel(statementId);
        } catch (GatewayError goneMeanwhile) {
            // the statement (or its session) is no more: nothing left to cancel
        }
    }

    @Override
    public <A extends InterpreterAnswer> A ask(InterpreterQuestion<A> question) {
        try {
            return session.ask(kind.name(), question).get(QUESTION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (GatewayError e) {
            throw new KernelUnavailableException(e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new KernelUnavailableException(e.getCause() instanceof GatewayError refusal ? refusal.getMessage()
                    : "The interpreter did not answer; try again when the cell is done.", e);
        } catch (TimeoutException | java.util.concurrent.CancellationException e) {
            throw new KernelUnavailableException("The interpreter did not answer; try again when the cell is done.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelUnavailableException("Interrupted while asking the interpreter.", e);
        }
    }

    @Override
    public String describe() {
        Session current = session;
        DriverInfo driver = current.driver();
        return "Sparkgate session " + current.id() + " (" + kind + ")"
                + (driver == null ? "" : ", Spark " + driver.sparkVersion() + " on " + driver.master());
    }
}
