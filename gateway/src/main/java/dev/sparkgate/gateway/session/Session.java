package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.ApiError;
import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.driver.DriverProcess;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverInfo;
import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.SessionView;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;
import dev.sparkgate.protocol.VersionVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One session: its driver process and link, its statements and their events, and whoever watches it.
 * All state changes happen under the session's lock and are broadcast in the order they happen.
 */
public final class Session {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** Largest statement we accept; beyond it a notebook is shipping data, not code. */
    public static final int MAX_CODE_BYTES = 16 * 1024 * 1024;
    /** Finished statements kept per session (Livy keeps 100; notebooks scroll further back). */
    private static final int RETAINED_STATEMENTS = 1000;
    private static final int LOG_LINES_IN_VIEW = 50;

    private SessionSpec spec;
    private final SessionRequest request;
    private final String secret;
    private final DriverLog log;
    private final long createdAt = System.currentTimeMillis();
    private final Map<Integer, Statement> statements = new LinkedHashMap<>();
    private final List<StreamUpdate.Event> history = new ArrayList<>();
    private final Set<SessionSubscriber> subscribers = new LinkedHashSet<>();
    private final Map<Integer, CompletableFuture<InterpreterAnswer>> questions = new LinkedHashMap<>();
    private final Supplier<List<SessionView.ExecutorView>> executors;

    private SessionState state = SessionState.starting;
    private DriverInfo driver;
    private DriverLink link;
    private DriverProcess process;
    private int nextStatementId;
    private int nextQuestionId;
    private long seq;
    private long lastActivity = System.currentTimeMillis();
    private VersionVerdict versions;

    Session(SessionSpec spec, SessionRequest request, String secret, DriverLog log,
            Supplier<List<SessionView.ExecutorView>> executors) {
        this.spec = spec;
        this.request = request;
        this.secret = secret;
        this.log = log;
        this.executors = executors;
    }

    public int id() {
        return spec.id();
    }

    public String name() {
        return spec.name();
    }

    public Kind kind() {
        return spec.kind();
    }

    public synchronized SessionSpec spec() {
        return spec;
    }

    /** Before the driver starts: the version check may choose the session's driver Python. */
    synchronized void updateSpec(SessionSpec checked) {
        this.spec = checked;
    }

    synchronized void recordVersions(VersionVerdict verdict) {
        this.versions = verdict;
        log.append("sparkgate: version check " + verdict.verdict() + ": " + verdict.summary());
        verdict.notes().forEach(note -> log.append("sparkgate: note: " + note));
        changeState(state, true);
    }

    /** The session may not start (a failed version check, say): it ends in {@code error} with the reason. */
    synchronized void refuse(String reason) {
        log.append("sparkgate: the session was not started: " + reason);
        LOG.warn("session {}: not started: {}", id(), reason);
        changeState(SessionState.error);
    }

    public DriverLog log() {
        return log;
    }

    String secret() {
        return secret;
    }

    public synchronized SessionState state() {
        return state;
    }

    public synchronized DriverInfo driver() {
        return driver;
    }

    public synchronized DriverProcess process() {
        return process;
    }

    // ---- statements ------------------------------------------------------------------------------------------

    /** Queues a statement; {@code kindName} may be null, then the session's kind decides. */
    public Statement submit(String kindName, String code) {
        return submit(kindName, code, statement -> { });
    }

    /**
     * Queues a statement and tells {@code onAccepted} its id before any of its events go out, so a watcher that
     * submitted it can match the events that follow.
     */
    public synchronized Statement submit(String kindName, String code, java.util.function.Consumer<Statement> onAccepted) {
        Kind kind = statementKind(kindName);
        if (code == null || code.isBlank()) {
            throw ApiError.badRequest("The statement's 'code' is empty: send the code to run.");
        }
        if (code.length() > MAX_CODE_BYTES) {
            throw new ApiError(413, "The statement's code is " + code.length() + " characters; the limit is "
                    + MAX_CODE_BYTES + ". Load large data from storage instead of inlining it.");
        }
        requireActive();
        Statement statement = new Statement(nextStatementId++, kind, code);
        statements.put(statement.id(), statement);
        dropOldStatements();
        onAccepted.accept(statement);
        record(statement, new StatementEvent.Accepted(statement.id(), kind.name(), code, System.currentTimeMillis()));
        link.send(new DriverCommand.Execute(statement.id(), kind, code));
        lastActivity = System.currentTimeMillis();
        updateState();
        return statement;
    }

    private Kind statementKind(String kindName) {
        if (kindName == null || kindName.isBlank()) {
            return spec.kind() == Kind.shared ? Kind.spark : spec.kind();
        }
        Kind kind = Kind.parse(kindName).orElseThrow(() -> ApiError.badRequest(
                "Unknown statement kind '" + kindName + "': use one of " + Kind.statementKinds() + "."));
        if (!spec.kind().runs(kind)) {
            throw ApiError.badRequest("Session " + id() + " is a " + spec.kind() + " session and runs only "
                    + spec.kind() + " statements, not " + kind + ". Create a shared session to mix languages.");
        }
        return kind;
    }

    private void requireActive() {
        if (state.active() && link != null) {
            return;
        }
        if (state.ended()) {
            // Livy's status and phrase: Zeppelin takes a 5xx with this phrase for a dead session (and restarts it
            // when zeppelin.livy.restart_dead_session is on); any 4xx it shows as a bare error.
            throw new ApiError(500, "Session is in state " + state + ": " + causeOfEnd()
                    + " Create a new session to go on.");
        }
        throw ApiError.badRequest("Session isn't active: it is " + state + ". Wait until it is idle, then submit.");
    }

    private String causeOfEnd() {
        List<String> tail = log.tail(1);
        return tail.isEmpty() ? "" : tail.get(0);
    }

    public synchronized Statement statement(int statementId) {
        Statement statement = statements.get(statementId);
        if (statement == null) {
            throw ApiError.statementNotFound(id(), String.valueOf(statementId));
        }
        return statement;
    }

    public synchronized List<Statement> statements() {
        return List.copyOf(statements.values());
    }

    /** Cancels a statement that has not finished; a finished one stays as it is. */
    public synchronized Statement cancel(int statementId) {
        Statement statement = statement(statementId);
        if (statement.finished() == null) {
            statement.requestCancel();
            if (link != null) {
                link.send(new DriverCommand.Cancel(statementId));
            }
        }
        return statement;
    }

    private void dropOldStatements() {
        var oldest = statements.values().iterator();
        while (statements.size() > RETAINED_STATEMENTS && oldest.hasNext()) {
            Statement statement = oldest.next();
            if (statement.finished() != null) {
                oldest.remove();
                history.removeIf(e -> e.event().statementId() == statement.id());
            }
        }
    }

    // ---- questions to the interpreter ------------------------------------------------------------------------

    /**
     * Asks the interpreter of {@code kindName} (the session's own when null) about code; the driver's answer
     * completes the future, or it times out.
     */
    public synchronized <A extends InterpreterAnswer> CompletableFuture<A> ask(String kindName,
                                                                            InterpreterQuestion<A> question) {
        Kind kind = statementKind(kindName);
        requireActive();
        int questionId = nextQuestionId++;
        CompletableFuture<InterpreterAnswer> answer = new CompletableFuture<>();
        questions.put(questionId, answer);
        link.send(new DriverCommand.Ask(questionId, kind, question));
        return answer.orTimeout(10, TimeUnit.SECONDS).thenApply(question.answerType()::cast);
    }

    // ---- the driver ------------------------------------------------------------------------------------------

    synchronized void attachProcess(DriverProcess driverProcess) {
        this.process = driverProcess;
    }

    /** The driver dialled in with the right secret. A second link replaces nothing: the first one stands. */
    public synchronized boolean attachLink(DriverLink newLink) {
        if (link != null || state.ended() || state == SessionState.shutting_down) {
            return false;
        }
        link = newLink;
        return true;
    }

    public synchronized void onDriverMessage(DriverMessage message) {
        if (message instanceof DriverMessage.Event event) {
            Statement statement = statements.get(event.event().statementId());
            if (statement != null) {
                record(statement, event.event());
                if (event.event() instanceof StatementEvent.Finished) {
                    updateState();
                }
            }
        } else if (message instanceof DriverMessage.Ready ready) {
            driver = ready.info();
            log.append("sparkgate: driver ready, Spark " + driver.sparkVersion() + " on " + driver.master()
                    + ", application " + driver.appId());
            LOG.info("session {}: driver ready (pid {}, {})", id(), driver.pid(), driver.appId());
            if (state == SessionState.starting) {
                updateState();
            }
        } else if (message instanceof DriverMessage.StartFailed failed) {
            log.append("sparkgate: the session could not start: " + failed.message());
            LOG.warn("session {}: could not start: {}", id(), failed.message());
            changeState(SessionState.error);
        } else if (message instanceof DriverMessage.Answer reply) {
            CompletableFuture<InterpreterAnswer> answer = questions.remove(reply.requestId());
            if (answer != null) {
                answer.complete(reply.answer());
            }
        }
    }

    synchronized void onLinkClosed(DriverLink closed) {
        if (link == closed) {
            link = null;
        }
    }

    /** The driver JVM exited. Unless we stopped it, that is the end of the session, and its cause goes to the log. */
    synchronized void onDriverExit(int exitCode) {
        link = null;
        if (state == SessionState.shutting_down || state.ended()) {
            return;
        }
        String cause = "sparkgate: the driver process exited with code " + exitCode
                + (exitCode == 137 || exitCode == 143 ? " (killed by a signal)" : "")
                + "; the lines above are its last output.";
        log.append(cause);
        LOG.warn("session {}: driver exited with code {}", id(), exitCode);
        failUnfinished("The session's driver exited with code " + exitCode + " while this statement ran.");
        changeState(state == SessionState.starting ? SessionState.error : SessionState.dead);
    }

    synchronized void onStartTimeout(long seconds) {
        if (state != SessionState.starting) {
            return;
        }
        log.append("sparkgate: the driver did not become ready within " + seconds + " s; stopping it. "
                + "Raise SPARKGATE_DRIVER_START_TIMEOUT_SECONDS if Spark needs longer to start here.");
        changeState(SessionState.error);
    }

    /** Asks the driver to stop and marks the session as shutting down; the caller then waits for the process. */
    synchronized void beginShutdown() {
        if (!state.ended()) {
            changeState(SessionState.shutting_down);
        }
        if (link != null) {
            link.send(new DriverCommand.Shutdown());
        }
        failUnfinished("The session was deleted while this statement ran.");
    }

    synchronized void finishShutdown() {
        if (state == SessionState.shutting_down) {
            changeState(SessionState.killed);
        }
        if (link != null) {
            link.close();
            link = null;
        }
        subscribers.forEach(SessionSubscriber::sessionClosed);
        subscribers.clear();
        questions.values().forEach(q -> q.cancel(false));
    }

    private void failUnfinished(String why) {
        for (Statement statement : statements.values()) {
            if (statement.finished() == null) {
                record(statement, StatementEvent.Finished.failed(statement.id(),
                        new StatementEvent.ErrorInfo("SessionEnded", why, List.of())));
            }
        }
    }

    // ---- watching --------------------------------------------------------------------------------------------

    /** Sends the session and every event after {@code since}, then keeps {@code subscriber} up to date. */
    public synchronized void subscribe(SessionSubscriber subscriber, long since) {
        subscriber.send(new StreamUpdate.Session(view()));
        for (StreamUpdate.Event event : history) {
            if (event.seq() > since) {
                subscriber.send(event);
            }
        }
        if (state.ended() && state != SessionState.error && state != SessionState.dead) {
            subscriber.sessionClosed();
            return;
        }
        subscribers.add(subscriber);
    }

    public synchronized void unsubscribe(SessionSubscriber subscriber) {
        subscribers.remove(subscriber);
    }

    private void record(Statement statement, StatementEvent event) {
        statement.record(event);
        StreamUpdate.Event update = new StreamUpdate.Event(++seq, event);
        history.add(update);
        subscribers.forEach(s -> s.send(update));
    }

    /** How long the session has been idle (no statement queued or running), as of {@code now}. */
    public synchronized Duration idleFor(long now) {
        return state == SessionState.idle ? Duration.ofMillis(now - lastActivity) : Duration.ZERO;
    }

    private void updateState() {
        if (state.ended() || state == SessionState.shutting_down || driver == null) {
            return;
        }
        lastActivity = System.currentTimeMillis();
        boolean working = statements.values().stream().anyMatch(s -> s.finished() == null);
        changeState(working ? SessionState.busy : SessionState.idle);
    }

    private void changeState(SessionState next) {
        changeState(next, false);
    }

    /** Sets the state and tells watchers; {@code always} tells them even when only the session's details changed. */
    private void changeState(SessionState next, boolean always) {
        if (state == next && !always) {
            return;
        }
        state = next;
        StreamUpdate.Session update = new StreamUpdate.Session(view());
        subscribers.forEach(s -> s.send(update));
    }

    public synchronized SessionView view() {
        String ui = driver == null ? null : driver.sparkUiUrl();
        return new SessionView(id(), name(), driver == null ? null : driver.appId(), spec.owner(), request.proxyUser(),
                state, spec.kind().name(),
                new SessionView.AppInfo("/sessions/" + id() + "/log", ui, null),
                log.tail(LOG_LINES_IN_VIEW), spec.sparkConf(), request.driverMemory(), request.driverCores(),
                request.executorMemory(), request.executorCores(), request.numExecutors(), request.ttl(),
                request.idleTimeout(), createdAt, driver, executors.get(), versions);
    }
}
