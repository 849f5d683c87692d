package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.logging.LogContext;
import dev.sparkgate.gateway.driver.DriverLink;
import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.driver.DriverProcess;
import dev.sparkgate.gateway.driver.DriverRuntime;
import dev.sparkgate.gateway.driver.DriverQuestions;
import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.errors.NoSparkUi;
import dev.sparkgate.gateway.errors.PayloadTooLarge;
import dev.sparkgate.gateway.errors.SessionEnded;
import dev.sparkgate.gateway.errors.SessionNotActive;
import dev.sparkgate.gateway.errors.StatementNotFound;
import dev.sparkgate.gateway.metrics.DriverExitCause;
import dev.sparkgate.gateway.metrics.GatewayMetrics;
import dev.sparkgate.gateway.metrics.SessionSample;
import dev.sparkgate.gateway.placement.PlacedDriver;
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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One session: what it is (its spec, its placed driver), and its parts, each with one job: the {@link SessionLifecycle}
 * (its state), the {@link EventJournal} (its statements and their events), the {@link DriverQuestions} (questions
 * to its interpreter awaiting answers), its driver link and its watchers. Every change happens under the session's
 * lock and is told to the watchers in the order it happened. Refusals are typed errors; no HTTP here.
 */
public final class Session {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** Largest statement we accept; beyond it a notebook is shipping data, not code. */
    public static final int MAX_CODE_BYTES = 16 * 1024 * 1024;
    /** Finished statements kept per session (Livy keeps 100; notebooks scroll further back). */
    private static final int RETAINED_STATEMENTS = 1000;
    private static final int LOG_LINES_IN_VIEW = 50;
    private static final Duration QUESTION_TIMEOUT = Duration.ofSeconds(10);
    /** The exit code the launcher reports when the driver could not be launched at all. */
    static final int LAUNCH_FAILED = -1;

    private final SessionRequest request;
    private final String secret;
    /** How much of a driver pod's output a log request reads from Kubernetes. */
    private static final int DRIVER_OUTPUT_LINES = 1000;

    private final DriverLog log;
    private final PlacedDriver placed;
    private final SessionTerms terms;
    private final GatewayMetrics metrics;
    private final long createdAt;
    private final SessionLifecycle lifecycle;
    private final EventJournal journal = new EventJournal(RETAINED_STATEMENTS);
    private final DriverQuestions questions = new DriverQuestions(QUESTION_TIMEOUT);
    /**
     * Watchers, each with the {@code seq} after which it takes events: a session rebuilt after a restart replays its
     * driver's events from the first, and a watcher that resumed after event N must not get events up to N twice. Past
     * the journal's last event it means "from now" (a new client), so it is cut to the last event once that is known.
     */
    private final Map<SessionSubscriber, Long> subscribers = new LinkedHashMap<>();
    /** Who waits to hear that the driver has a statement (its first event), by statement id. */
    private final Map<Integer, Runnable> unacknowledged = new HashMap<>();

    private SessionSpec spec;
    private DriverInfo driver;
    private DriverLink link;
    /** Whether a link was attached before: a driver dialling in again after a drop is a reconnect. */
    private boolean linkedBefore;
    private long lastActivity = System.currentTimeMillis();
    private VersionVerdict versions;

    Session(SessionSpec spec, SessionRequest request, String secret, DriverLog log, PlacedDriver placed,
            SessionTerms terms, GatewayMetrics metrics) {
        this(spec, request, secret, log, placed, terms, metrics, new SessionLifecycle(), System.currentTimeMillis());
    }

    private Session(SessionSpec spec, SessionRequest request, String secret, DriverLog log, PlacedDriver placed,
                    SessionTerms terms, GatewayMetrics metrics, SessionLifecycle lifecycle, long createdAt) {
        this.lifecycle = lifecycle;
        this.createdAt = createdAt;
        this.spec = spec;
        this.metrics = metrics;
        this.request = request;
        this.secret = secret;
        this.log = log;
        this.placed = placed;
        this.terms = terms;
    }

    /**
     * A session a restarted gateway found beside its driver, as {@link #record()} wrote it: {@code recovering} until its
     * driver dials back and gives the events the gateway lost.
     */
    static Session recovered(RecordedSession record, String secret, DriverLog log, PlacedDriver placed,
                             GatewayMetrics metrics) {
        Session session = new Session(record.spec(), record.request(), secret, log, placed, record.sessionTerms(),
                metrics, SessionLifecycle.recovering(), record.createdAt());
        session.versions = record.versions();
        session.linkedBefore = true;
        return session;
    }

    /** What a restarted gateway needs to know this session again; its placement keeps it beside the driver. */
    synchronized RecordedSession record() {
        return new RecordedSession(spec, request, RecordedSession.Terms.of(terms), createdAt, versions);
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

    /** Its owner's groups, as they were when it was created (kept in its record, so a restart keeps them). */
    public Set<String> ownerGroups() {
        return request.ownerGroups();
    }

    /** Who besides its owner ({@code spec().owner()}) may see or drive this session. */
    public Sharing sharing() {
        return request.sharing();
    }

    public DriverLog log() {
        return log;
    }

    /**
     * The log as a reader should see it now: the session's log, and when the driver's output lives elsewhere (a
     * driver pod's container log) the last {@code DRIVER_OUTPUT_LINES} of it after the gateway's own lines.
     */
    public DriverLog logNow() {
        List<String> output = placed.outputNow(DRIVER_OUTPUT_LINES).orElse(List.of());
        if (output.isEmpty()) {
            return log;
        }
        List<String> notes = log.tail(Integer.MAX_VALUE);
        DriverLog now = new DriverLog(notes.size() + output.size());
        notes.forEach(now::append);
        output.forEach(now::append);
        return now;
    }

    public synchronized SessionState state() {
        return lifecycle.state();
    }

    public synchronized DriverInfo driver() {
        return driver;
    }

    PlacedDriver placed() {
        return placed;
    }

    SessionTerms terms() {
        return terms;
    }

    String secret() {
        return secret;
    }

    /** Whether {@code presented} is the secret this session's driver was started with. */
    public boolean authenticates(String presented) {
        return presented != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    // ---- before the driver starts ----------------------------------------------------------------------------

    /** The session leaves the queue: its driver is launched now. False when it was deleted while it waited. */
    synchronized boolean launching() {
        if (!lifecycle.launching()) {
            return false;
        }
        tellWatchers();
        return true;
    }

    /** The session waits for a start slot: the log says why, for whoever wonders why it is not starting. */
    void waiting(String why) {
        log.append("sparkgate: waiting to start: " + why);
    }

    /** The version check may choose the session's driver Python. */
    synchronized void updateSpec(SessionSpec checked) {
        this.spec = checked;
    }

    synchronized void recordVersions(VersionVerdict verdict) {
        this.versions = verdict;
        log.append("sparkgate: version check " + verdict.verdict() + ": " + verdict.summary());
        verdict.notes().forEach(note -> log.append("sparkgate: note: " + note));
        tellWatchers();
    }

    /** The session may not start (a failed version check, say): it ends in {@code error} with the reason. */
    synchronized void refuse(String reason) {
        try (LogContext logContext = LogContext.session(id(), spec.owner())) {
            log.append("sparkgate: the session was not started: " + reason);
            LOG.warn("session {}: not started: {}", id(), reason);
            if (lifecycle.failedToStart()) {
                tellWatchers();
            }
        }
    }

    // ---- statements ------------------------------------------------------------------------------------------

    /** Queues a statement; {@code kindName} may be null, then the session's kind decides. */
    public Statement submit(String kindName, String code) {
        return submit(kindName, code, statement -> { });
    }

    /**
     * Queues a statement and tells {@code onAccepted} once its driver has it: at the statement's first event (the
     * driver's {@code accepted}, or a failure if the session ends first), before that event goes out, so a watcher
     * that submitted it can match the events that follow. Only then is the statement safe from a gateway crash: the
     * driver keeps it, and a restarted gateway gets it back. A client told earlier could be told of a statement that a
     * crash lost, and whose id a restarted gateway would give again.
     */
    public synchronized Statement submit(String kindName, String code, Consumer<Statement> onAccepted) {
        Kind kind = statementKind(kindName);
        if (code == null || code.isBlank()) {
            throw new BadRequest("The statement's 'code' is empty: send the code to run.");
        }
        if (code.length() > MAX_CODE_BYTES) {
            throw new PayloadTooLarge("The statement's code is " + code.length() + " characters; the limit is "
                    + MAX_CODE_BYTES + ". Load large data from storage instead of inlining it.");
        }
        requireActive();
        Statement statement = journal.open(kind, code);
        unacknowledged.put(statement.id(), () -> onAccepted.accept(statement));
        // Its accepted event comes back from the driver, which numbers every event of the session (EventJournal).
        link.send(new DriverCommand.Execute(statement.id(), kind, code));
        workChanged();
        return statement;
    }

    private Kind statementKind(String kindName) {
        if (kindName == null || kindName.isBlank()) {
            return spec.kind() == Kind.shared ? Kind.spark : spec.kind();
        }
        Kind kind = Kind.parse(kindName).orElseThrow(() -> new BadRequest(
                "Unknown statement kind '" + kindName + "': use one of " + Kind.statementKinds() + "."));
        if (!spec.kind().runs(kind)) {
            throw new BadRequest("Session " + id() + " is a " + spec.kind() + " session and runs only "
                    + spec.kind() + " statements, not " + kind + ". Create a shared session to mix languages.");
        }
        return kind;
    }

    private void requireActive() {
        SessionState state = lifecycle.state();
        if (state.active() && link != null) {
            return;
        }
        if (state.ended()) {
            List<String> tail = log.tail(1);
            throw new SessionEnded(state, tail.isEmpty() ? "" : tail.get(0));
        }
        throw new SessionNotActive(state);
    }

    public synchronized Statement statement(int statementId) {
        return journal.statement(statementId)
                .orElseThrow(() -> new StatementNotFound(id(), String.valueOf(statementId)));
    }

    public synchronized List<Statement> statements() {
        return journal.statements();
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

    // ---- questions to the interpreter ------------------------------------------------------------------------

    /**
     * Asks the interpreter of {@code kindName} (the session's own when null) about code; the driver's answer
     * completes the future, or it fails with {@code NoAnswer} or {@code DriverGone}.
     */
    public <A extends InterpreterAnswer> CompletableFuture<A> ask(String kindName, InterpreterQuestion<A> question) {
        Kind kind;
        DriverLink current;
        synchronized (this) {
            kind = statementKind(kindName);
            requireActive();
            current = link;
        }
        CompletableFuture<A> typed = new CompletableFuture<>();
        // Not thenApply: its failures arrive wrapped, and every API family maps the domain error itself.
        questions.ask(requestId -> new DriverCommand.Ask(requestId, kind, question), current::send)
                .whenComplete((reply, failure) -> {
                    if (failure != null) {
                        typed.completeExceptionally(failure);
                    } else {
                        typed.complete(question.answerType().cast(reply.answer()));
                    }
                });
        return typed;
    }

    // ---- the driver ------------------------------------------------------------------------------------------

    /**
     * The driver dialled in with the right secret: the link is asked to resume after the last event the journal has
     * (0 after a gateway restart). A driver dials again only when it lost its link, so a new link replaces one the
     * gateway has not seen close yet. A session that is over takes none.
     */
    public synchronized boolean attachLink(DriverLink newLink) {
        if (lifecycle.state().over()) {
            return false;
        }
        if (linkedBefore) {
            metrics.driverLinkReconnected();
        }
        linkedBefore = true;
        DriverLink stale = link;
        link = newLink;
        newLink.send(new DriverCommand.Resume(journal.lastSeq()));
        // A statement sent on a link that was already dying never reached the driver (no accepted event came back):
        // it goes again. The driver ignores one it had, so nothing runs twice.
        journal.unfinished().stream().filter(s -> s.events().isEmpty())
                .forEach(s -> newLink.send(new DriverCommand.Execute(s.id(), s.kind(), s.code())));
        if (stale != null) {
            stale.close();
        }
        return true;
    }

    public void onDriverMessage(DriverMessage message) {
        if (message instanceof DriverMessage.Answer answer) {
            // Outside the lock: whoever waits for the answer may take their time with it.
            questions.answer(answer);
        } else {
            onDriverReport(message);
        }
    }

    private synchronized void onDriverReport(DriverMessage message) {
        try (LogContext logContext = LogContext.session(id(), spec.owner())) {
            if (message instanceof DriverMessage.Event event) {
                record(event.seq(), event.event());
                if (event.event() instanceof StatementEvent.Finished) {
                    workChanged();
                }
            } else if (message instanceof DriverMessage.Ready ready) {
                driver = ready.info();
                log.append("sparkgate: driver ready, Spark " + driver.sparkVersion() + " on " + driver.master()
                        + ", application " + driver.appId());
                LOG.info("session {}: driver ready (pid {}, {})", id(), driver.pid(), driver.appId());
                if (lifecycle.state() == SessionState.starting) {
                    lastActivity = System.currentTimeMillis();
                    if (lifecycle.driverReady(journal.working())) {
                        metrics.sessionStarted(GatewayMetrics.Start.cold, Duration.ofMillis(lastActivity - createdAt));
                        tellWatchers();
                    }
                } else if (lifecycle.state() == SessionState.recovering) {
                    // Ready follows the events the driver kept (Resume): whether statements are still running is known.
                    lastActivity = System.currentTimeMillis();
                    if (lifecycle.driverReady(journal.working())) {
                        subscribers.replaceAll((watcher, after) -> Math.min(after, journal.lastSeq()));
                        log.append("sparkgate: the driver is back after the gateway restarted; " + journal.statements().size()
                                + " statements and " + journal.lastSeq() + " events recovered");
                        LOG.info("session {}: recovered ({} events)", id(), journal.lastSeq());
                        metrics.sessionRecovered();
                        tellWatchers();
                    }
                }
            } else if (message instanceof DriverMessage.StartFailed failed) {
                log.append("sparkgate: the session could not start: " + failed.message());
                LOG.warn("session {}: could not start: {}", id(), failed.message());
                metrics.driverExited(DriverExitCause.start_failed);
                if (lifecycle.failedToStart()) {
                    tellWatchers();
                }
            }
        }
    }

    public synchronized void onLinkClosed(DriverLink closed) {
        if (link == closed) {
            link = null;
            questions.driverGone();
        }
    }

    /** The driver exited. Unless we stopped it, that is the end of the session, and its cause goes to the log. */
    synchronized void onDriverExit(int exitCode) {
        try (LogContext logContext = LogContext.session(id(), spec.owner())) {
            link = null;
            questions.driverGone();
            if (lifecycle.state().over()) {
                return;
            }
            metrics.driverExited(exitCode == LAUNCH_FAILED ? DriverExitCause.launch_failed
                    : DriverExitCause.ofExit(exitCode, log.tail(LOG_LINES_IN_VIEW)));
            // A driver that exits before it is ready says why in its last line (it cannot reach the gateway, say):
            // the session's cause repeats it, so the one line a client sees of an ended session is the reason.
            List<String> last = lifecycle.state() == SessionState.starting ? log.tail(1) : List.of();
            log.append("sparkgate: the driver process exited"
                    + (exitCode == DriverProcess.EXIT_UNKNOWN ? " (an earlier gateway started it: its exit code is not known)"
                            : " with code " + exitCode)
                    + (exitCode == 137 || exitCode == 143 ? " (killed by a signal)" : "")
                    + (last.isEmpty() ? "; the lines above are its last output."
                            : " before it was ready: " + last.get(0)));
            LOG.warn("session {}: driver exited with code {}", id(), exitCode);
            failUnfinished("The session's driver exited with code " + exitCode + " while this statement ran.");
            if (lifecycle.driverExited()) {
                tellWatchers();
            }
        }
    }

    /** The driver did not dial back within {@code timeout} of the gateway's restart: the session is dead. */
    synchronized boolean onRecoveryTimeout(Duration timeout) {
        try (LogContext logContext = LogContext.session(id(), spec.owner())) {
            if (!lifecycle.driverLost()) {
                return false;
            }
            metrics.driverExited(DriverExitCause.unreachable);
            log.append("sparkgate: the driver did not return after the gateway restarted (waited "
                    + timeout.toSeconds() + " s); its process is stopped.");
            LOG.warn("session {}: the driver did not return after the gateway restarted", id());
            tellWatchers();
            return true;
        }
    }

    /** The driver did not become ready in time: the session fails to start. */
    synchronized void onStartTimeout(Duration timeout) {
        try (LogContext logContext = LogContext.session(id(), spec.owner())) {
            if (lifecycle.state() != SessionState.starting) {
                return;
            }
            metrics.driverExited(DriverExitCause.start_timeout);
            log.append("sparkgate: the driver did not become ready within " + timeout.toSeconds() + " s; stopping it. "
                    + "Raise SPARKGATE_DRIVER_START_TIMEOUT_SECONDS if Spark needs longer to start here.");
            if (lifecycle.failedToStart()) {
                tellWatchers();
            }
        }
    }

    /** Asks the driver to stop and marks the session as shutting down; the caller then waits for the driver. */
    synchronized void beginShutdown() {
        boolean driverRunning = !lifecycle.state().ended() && lifecycle.state() != SessionState.not_started;
        if (lifecycle.shutdownBegun()) {
            if (driverRunning) {
                metrics.driverExited(DriverExitCause.stopped);
            }
            tellWatchers();
        }
        if (link != null) {
            link.send(new DriverCommand.Shutdown());
        }
        failUnfinished("The session was deleted while this statement ran.");
    }

    synchronized void finishShutdown() {
        if (lifecycle.shutdownFinished()) {
            tellWatchers();
        }
        if (link != null) {
            link.close();
            link = null;
        }
        List<SessionSubscriber> leaving = List.copyOf(subscribers.keySet());
        subscribers.clear();
        leaving.forEach(SessionSubscriber::sessionClosed);
        questions.driverGone();
    }

    private void failUnfinished(String why) {
        for (Statement statement : journal.unfinished()) {
            record(StatementEvent.Finished.failed(statement.id(),
                    new StatementEvent.ErrorInfo("SessionEnded", why, List.of())));
        }
    }

    // ---- watching --------------------------------------------------------------------------------------------

    /** Sends the session and every event after {@code since}, then keeps {@code subscriber} up to date. */
    public synchronized void subscribe(SessionSubscriber subscriber, long since) {
        subscriber.send(new StreamUpdate.Session(view()));
        journal.since(since).forEach(subscriber::send);
        SessionState state = lifecycle.state();
        if (state.ended() && state != SessionState.error && state != SessionState.dead) {
            subscriber.sessionClosed();
            return;
        }
        // while recovering the journal does not know yet where the session stands: the watcher's own word counts
        subscribers.put(subscriber, state == SessionState.recovering ? since : Math.min(since, journal.lastSeq()));
    }

    public synchronized void unsubscribe(SessionSubscriber subscriber) {
        subscribers.remove(subscriber);
    }

    private void record(StatementEvent event) {
        Optional<StreamUpdate.Event> update = journal.record(event);
        acknowledge(event);
        update.ifPresent(this::fanOut);
    }

    private void record(long seq, StatementEvent event) {
        Optional<StreamUpdate.Event> update = journal.record(seq, event);
        acknowledge(event);
        update.ifPresent(this::fanOut);
    }

    /** A statement's first event: whoever submitted it hears that the driver has it, before the event goes out. */
    private void acknowledge(StatementEvent event) {
        Runnable waiting = unacknowledged.remove(event.statementId());
        if (waiting != null) {
            waiting.run();
        }
    }

    private void fanOut(StreamUpdate.Event update) {
        if (update.event() instanceof StatementEvent.Finished finished) {
            measure(finished);
        }
        // a copy: a subscriber may leave while it is told (a slow client cut off, a socket gone)
        for (Map.Entry<SessionSubscriber, Long> watcher : List.copyOf(subscribers.entrySet())) {
            if (update.seq() > watcher.getValue()) {
                watcher.getKey().send(update);
            }
        }
    }

    private void measure(StatementEvent.Finished finished) {
        journal.statement(finished.statementId()).ifPresent(statement -> {
            long acceptedAt = statement.events().stream().filter(StatementEvent.Accepted.class::isInstance)
                    .mapToLong(e -> ((StatementEvent.Accepted) e).at()).findFirst().orElse(finished.at());
            metrics.statementFinished(statement.kind().name(), finished.outcome().name(),
                    Duration.ofMillis(Math.max(0, finished.at() - acceptedAt)));
        });
    }

    /** How long the session has been idle (no statement queued or running), as of {@code now}. */
    public synchronized Duration idleFor(long now) {
        return lifecycle.state() == SessionState.idle ? Duration.ofMillis(now - lastActivity) : Duration.ZERO;
    }

    private void workChanged() {
        if (lifecycle.state().active()) {
            lastActivity = System.currentTimeMillis();
        }
        if (lifecycle.workChanged(journal.working())) {
            tellWatchers();
        }
    }

    /** Tells watchers the session as it is now: its state, or only its details, changed. */
    private void tellWatchers() {
        StreamUpdate.Session update = new StreamUpdate.Session(view());
        // a copy: a subscriber may leave while it is told (a slow client cut off, a socket gone)
        List.copyOf(subscribers.keySet()).forEach(s -> s.send(update));
    }

    /** The session as the metrics count it: bounded values only. */
    public synchronized SessionSample sample(String placement, String defaultRuntime) {
        String runtime = driver == null || driver.sparkVersion() == null ? defaultRuntime
                : DriverRuntime.lineOf(driver.sparkVersion());
        return new SessionSample(lifecycle.state().name(), spec.kind().name(), placement, runtime,
                placed.executors().stream().map(e -> e.state() == null ? "Unknown" : e.state()).toList());
    }

    /** Where the session's Spark UI is in the gateway: the proxy at {@code /sessions/{id}/ui/}. */
    public static String sparkUiPath(int id) {
        return "/sessions/" + id + "/ui";
    }

    /** The address of the driver's Spark UI, as the driver reported it over its link; refused when there is none. */
    public synchronized java.net.URI sparkUiTarget() {
        SessionState state = lifecycle.state();
        if (state.over()) {
            throw new NoSparkUi("Session " + id() + " is " + state + ": its Spark UI ended with its driver. "
                    + "Its driver's log is at /sessions/" + id() + "/log.");
        }
        if (driver == null || driver.sparkUiUrl() == null) {
            throw new NoSparkUi(state == SessionState.starting
                    ? "Session " + id() + " is starting: its Spark UI is there once it is idle. Try again then."
                    : "Session " + id() + "'s driver runs without a Spark UI (spark.ui.enabled=false).");
        }
        return java.net.URI.create(driver.sparkUiUrl());
    }

    public synchronized SessionView view() {
        // Through the gateway: the driver's own address is seldom reachable from a notebook, and never from a pod's.
        String ui = driver == null || driver.sparkUiUrl() == null || lifecycle.state().over() ? null
                : sparkUiPath(id()) + "/";
        return new SessionView(id(), name(), driver == null ? null : driver.appId(), spec.owner(), request.proxyUser(),
                lifecycle.state(), spec.kind().name(),
                new SessionView.AppInfo("/sessions/" + id() + "/log", ui, null),
                log.tail(LOG_LINES_IN_VIEW), spec.sparkConf(), request.driverMemory(), request.driverCores(),
                request.executorMemory(), request.executorCores(), request.numExecutors(), request.ttl(),
                request.idleTimeout(), createdAt, driver, placed.executors(), versions,
                placed.driverPod().orElse(null), new SessionView.SharingView(sharing().viewUsers(),
                        sharing().viewGroups(), sharing().modifyUsers(), sharing().modifyGroups()));
    }
}
