package dev.sparkgate.client;

import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.SessionView;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * A session's stream, as every front end uses it: it says when the session is ready, submits code and hands each
 * statement's events to whoever submitted it, answers completion, completeness and inspection, cancels.
 *
 * <p>A dropped connection is resumed with {@code ?since=<last seq>}, so a running statement's events go on where they
 * stopped, none lost and none twice; requests made meanwhile wait for the new connection. A gateway that stays
 * unreachable for the {@link RetryPolicy}'s time becomes one {@link GatewayException}, and every statement still
 * followed ends with a failed {@code finished} event that says so. A session that ended is told by the gateway's
 * {@code ended} message: a {@link SessionEndedException}, and no resuming.
 */
public final class SessionStream implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("sparkgate.client");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final GatewayClient gateway;
    private final int sessionId;
    private final LongFunction<URI> address;
    private final RetryPolicy retry;
    private final StatementRouter router = new StatementRouter();
    private final StreamPosition position = new StreamPosition();
    private final AtomicInteger requestIds = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<StreamUpdate>> replies = new ConcurrentHashMap<>();
    private final CompletableFuture<SessionView> active = new CompletableFuture<>();
    private final CompletableFuture<GatewayException> finished = new CompletableFuture<>();
    private final ScheduledExecutorService reconnector;

    /** The open connection; replaced by a new, not yet completed future while the stream reconnects. */
    private volatile CompletableFuture<Socket> connected = new CompletableFuture<>();
    private volatile Socket socket;
    private volatile SessionView view;
    /** Set once, when the stream is over for good: the session ended, the gateway stayed away, or it was closed. */
    private volatile GatewayException over;

    private SessionStream(GatewayClient gateway, int sessionId, LongFunction<URI> address, RetryPolicy retry) {
        this.gateway = gateway;
        this.sessionId = sessionId;
        this.address = address;
        this.retry = retry;
        this.reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sparkgate-stream-" + sessionId);
            thread.setDaemon(true);
            return thread;
        });
    }

    static SessionStream open(GatewayClient gateway, int sessionId, LongFunction<URI> address, RetryPolicy retry) {
        SessionStream stream = new SessionStream(gateway, sessionId, address, retry);
        if (!stream.connect(StreamPosition.FROM_NOW)) {
            stream.reconnector.shutdownNow();
            // the handshake says little; the REST API says whether the session or the token is the problem
            gateway.session(String.valueOf(sessionId));
            throw new GatewayException(0, "Could not open the stream of Sparkgate session " + sessionId + " at "
                    + gateway.base() + ": the gateway did not accept the connection.");
        }
        return stream;
    }

    public int sessionId() {
        return sessionId;
    }

    /** The session as the stream last described it; null before the first message. */
    public SessionView session() {
        return view;
    }

    /** Completes with the session once it can run statements; exceptionally when it ended or the stream is over. */
    public CompletableFuture<SessionView> active() {
        return active.copy();
    }

    /** Waits until the session can run statements, as the stream tells it: no polling. */
    public SessionView awaitActive(Duration timeout) {
        try {
            return active.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            SessionView now = view;
            throw new GatewayException(504, "Sparkgate session " + sessionId + " did not start within "
                    + timeout.toSeconds() + " s; it is still " + (now == null ? "unknown" : now.state()) + ".");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof GatewayException g ? g : new GatewayException(e.getCause().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("Interrupted while waiting for Sparkgate session " + sessionId, e);
        }
    }

    /** Whether statements can still go through: the session has not ended and the stream has not given up. */
    public boolean usable() {
        return over == null;
    }

    /** Why the stream is over: a {@link SessionEndedException} when the session ended; empty while it is usable. */
    public Optional<GatewayException> failure() {
        return Optional.ofNullable(over);
    }

    /** Completes, with why, when the stream is over for good: the session ended, the gateway stayed away, or closed. */
    public CompletableFuture<GatewayException> whenOver() {
        return finished.copy();
    }

    /**
     * Submits code and returns its statement id once the gateway accepted it. Every event of the statement, and only
     * those, reaches {@code events} in order on the stream's thread (do not block there), ending with its
     * {@code finished} event, also when the connection is lost for good or the session ends meanwhile.
     */
    public int execute(String kind, String code, Consumer<StatementEvent> events) {
        int requestId = requestIds.getAndIncrement();
        StreamUpdate.Submitted submitted = (StreamUpdate.Submitted) ask(requestId,
                new StreamRequest.Execute(requestId, code, kind));
        router.claim(submitted.statementId(), events);
        return submitted.statementId();
    }

    /** Asks the gateway to cancel the statement; its {@code finished} event says when it is. Sent on reconnect if need be. */
    public void cancel(int statementId) {
        String request = Json.write(new StreamRequest.Cancel(requestIds.getAndIncrement(), statementId));
        connected.thenAccept(open -> {
            try {
                open.send(request);
            } catch (WebsocketNotConnectedException dropped) {
                LOG.log(System.Logger.Level.WARNING, "session " + sessionId + ": the cancel of statement "
                        + statementId + " was lost with the connection; cancel again");
            }
        });
    }

    /** The session's interpreter's answer to {@code question}, asked of the interpreter of {@code kind}. */
    public <A extends InterpreterAnswer> A ask(String kind, InterpreterQuestion<A> question) {
        int requestId = requestIds.getAndIncrement();
        StreamUpdate.Answer reply = (StreamUpdate.Answer) ask(requestId, new StreamRequest.Ask(requestId, question, kind));
        return question.answerType().cast(reply.answer());
    }

    /** Lets go of the stream; statements still followed end with a failed {@code finished}. The session stays. */
    @Override
    public void close() {
        finish(new GatewayException(0, "The stream of Sparkgate session " + sessionId + " was closed by its client."));
    }

    // ---- requests --------------------------------------------------------------------------------------------

    private StreamUpdate ask(int requestId, StreamRequest request) {
        CompletableFuture<StreamUpdate> reply = new CompletableFuture<>();
        replies.put(requestId, reply);
        try {
            send(Json.write(request));
            StreamUpdate answer = reply.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer instanceof StreamUpdate.Refused refused) {
                throw over instanceof SessionEndedException ended ? ended
                        : new GatewayException(refused.status(), refused.message());
            }
            return answer;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof GatewayException g ? g : new GatewayException(e.getCause().toString(), e);
        } catch (TimeoutException e) {
            throw new GatewayException(504, "The Sparkgate gateway did not answer within "
                    + ANSWER_TIMEOUT.toSeconds() + " s (session " + sessionId + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("Interrupted while waiting for the Sparkgate gateway", e);
        } finally {
            replies.remove(requestId);
        }
    }

    /** Sends on the open connection, waiting for one while the stream reconnects. */
    private void send(String request) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + retry.giveUpAfter().plus(CONNECT_TIMEOUT).toNanos();
        while (true) {
            GatewayException why = over;
            if (why != null) {
                throw why;
            }
            try {
                connected.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).send(request);
                return;
            } catch (WebsocketNotConnectedException dropped) {
                // It dropped under us: nothing was sent, so sending again on the next connection is safe. Its close
                // handler is about to put the reconnection in place; give it a moment.
                if (System.nanoTime() > deadline) {
                    throw new GatewayException(0, "No connection to the Sparkgate gateway at " + gateway.base()
                            + " for " + retry.giveUpAfter().toSeconds() + " s.");
                }
                Thread.sleep(10);
            } catch (TimeoutException e) {
                throw new GatewayException(0, "No connection to the Sparkgate gateway at " + gateway.base()
                        + " for " + retry.giveUpAfter().toSeconds() + " s.");
            }
        }
    }

    // ---- what arrives ----------------------------------------------------------------------------------------

    private void onUpdate(StreamUpdate update) {
        if (update instanceof StreamUpdate.Event event) {
            if (position.advance(event.seq())) {
                router.route(event.event());
            }
        } else if (update instanceof StreamUpdate.Reply reply) {
            CompletableFuture<StreamUpdate> waiting = replies.get(reply.requestId());
            if (waiting != null) {
                waiting.complete(reply);
            }
        } else if (update instanceof StreamUpdate.Session session) {
            view = session.session();
            if (session.session().state().active()) {
                active.complete(session.session());
            }
        } else if (update instanceof StreamUpdate.Ended ended) {
            LOG.log(System.Logger.Level.INFO, "session " + sessionId + " ended (" + ended.state() + "): "
                    + ended.cause());
            finish(new SessionEndedException(sessionId, ended.state(), ended.cause()));
        }
    }

    /** The stream is over for good: everyone waiting learns {@code why}, and every statement followed ends. */
    private void finish(GatewayException why) {
        synchronized (this) {
            if (over != null) {
                return;
            }
            over = why;
        }
        reconnector.shutdownNow();
        active.completeExceptionally(why);
        connected.completeExceptionally(why);
        replies.values().forEach(reply -> reply.completeExceptionally(why));
        String ename = why instanceof SessionEndedException ? "SessionEnded" : "ConnectionLost";
        router.closeAll(new StatementEvent.ErrorInfo(ename, why.getMessage(), List.of()));
        Socket current = socket;
        if (current != null) {
            current.close();
        }
        finished.complete(why);
    }

    // ---- connecting and resuming -----------------------------------------------------------------------------

    /** One attempt to connect, resuming after {@code since}; true when the connection is open. */
    private boolean connect(long since) {
        Socket attempt = new Socket(address.apply(since));
        socket = attempt;
        try {
            if (attempt.connectBlocking(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                connected.complete(attempt);
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        attempt.close();
        return false;
    }

    private void dropped(Socket lost, String why) {
        synchronized (this) {
            if (over != null || lost != socket) {
                return;
            }
            connected = new CompletableFuture<>();
        }
        // answers to questions asked on the lost connection will not come on the next one
        GatewayException unanswered = new GatewayException(0, "The connection to the Sparkgate gateway dropped before it "
                + "answered (" + why + "); a statement submitted just then may run in session " + sessionId
                + " without its output here.");
        replies.values().forEach(reply -> reply.completeExceptionally(unanswered));
        LOG.log(System.Logger.Level.WARNING, "session " + sessionId + ": the stream dropped (" + why + "); resuming");
        scheduleResume(0, System.nanoTime(), why);
    }

    private void scheduleResume(int attempt, long droppedAt, String lastProblem) {
        Duration sinceDrop = Duration.ofNanos(System.nanoTime() - droppedAt);
        Optional<Duration> delay = retry.delayBefore(attempt, sinceDrop);
        if (delay.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "session " + sessionId + ": gave up resuming the stream after "
                    + sinceDrop.toSeconds() + " s: " + lastProblem);
            finish(new GatewayException(0, "Lost the connection to the Sparkgate gateway at " + gateway.base()
                    + " and could not get it back within " + retry.giveUpAfter().toSeconds() + " s (" + lastProblem
                    + "). Is the gateway running and reachable? Session " + sessionId + " may still be there: run "
                    + "the cell again to reconnect."));
            return;
        }
        try {
            reconnector.schedule(() -> resume(attempt, droppedAt), delay.get().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closedMeanwhile) {
            // finished meanwhile: nothing to resume
        }
    }

    private void resume(int attempt, long droppedAt) {
        if (over != null) {
            return;
        }
        long since = position.resumeSince();
        if (connect(since)) {
            LOG.log(System.Logger.Level.INFO, "session " + sessionId + ": stream resumed after event " + since);
            return;
        }
        // Why the handshake failed is for the REST API to say: gone, ended, refused token, or just unreachable.
        String problem;
        try {
            SessionView now = gateway.findSession(String.valueOf(sessionId));
            if (now == null) {
                finish(new SessionEndedException(sessionId, SessionState.killed,
                        "the gateway no longer has it (deleted, culled after idling, or the gateway restarted)"));
                return;
            }
            if (now.state().ended()) {
                List<String> log = now.log() == null ? List.of() : now.log();
                finish(new SessionEndedException(sessionId, now.state(), log.isEmpty() ? "" : log.get(log.size() - 1)));
                return;
            }
            problem = "the gateway has the session but refused its stream";
        } catch (GatewayException e) {
            if (e.status() == 401 || e.status() == 403) {
                finish(e);
                return;
            }
            problem = e.getMessage();
        }
        scheduleResume(attempt + 1, droppedAt, problem);
    }

    private final class Socket extends WebSocketClient {
        private volatile boolean opened;

        Socket(URI uri) {
            super(uri);
            // a connection that silently died (a sleeping laptop, a NAT timeout) is noticed within a minute
            setConnectionLostTimeout(30);
            // Requests are small and often back to back (execute, then cancel): Nagle's algorithm would hold the
            // second until the gateway's delayed ACK of the first.
            setTcpNoDelay(true);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            opened = true;
        }

        @Override
        public void onMessage(String message) {
            if (this != socket) {
                return;
            }
            onUpdate(Json.read(message, StreamUpdate.class));
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            // a failed attempt is the reconnecting thread's to handle; only an open connection drops
            if (opened) {
                dropped(this, reason == null || reason.isBlank() ? "code " + code : reason);
            }
        }

        @Override
        public void onError(Exception ex) {
            // onClose follows and says what happened
        }
    }
}
