package dev.sparkgate.gateway.stream;

import dev.sparkgate.gateway.auth.AccessGuard;
import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.identity.AuditLog;
import dev.sparkgate.gateway.identity.SessionAccess;
import dev.sparkgate.gateway.identity.User;
import dev.sparkgate.gateway.metrics.GatewayMetrics;
import dev.sparkgate.gateway.session.Session;
import dev.sparkgate.gateway.session.SessionManager;
import dev.sparkgate.gateway.session.SessionSubscriber;
import dev.sparkgate.gateway.websocket.WsOutbox;
import dev.sparkgate.gateway.websocket.WsSender;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.SessionView;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /sessions/{id}/stream}: a session's native WebSocket. Clients submit, cancel and ask for completions, and
 * receive every event of every statement as it happens. {@code ?since=N} resumes after event {@code N}. A client
 * that falls more than its backlog behind is cut off rather than allowed to slow the others or fill the heap.
 * Watching takes leave to see the session; executing, cancelling and asking take leave to act on it
 * ({@link SessionAccess}): a watcher it is shared with to view is refused those with 403.
 */
public final class StreamEndpoint {

    public static final String PATH = "/sessions/{id}/stream";

    private final SessionManager sessions;
    private final SessionAccess access;
    private final GatewayMetrics metrics;
    private final long clientBacklogBytes;
    private final Map<String, Watcher> watchers = new ConcurrentHashMap<>();
    private final Map<Integer, SharedEncoding> encodings = new ConcurrentHashMap<>();

    /** @param clientBacklogBytes how much a client may leave unread before it is cut off */
    public StreamEndpoint(SessionManager sessions, SessionAccess access, GatewayMetrics metrics,
                          long clientBacklogBytes) {
        this.sessions = sessions;
        this.access = access;
        this.metrics = metrics;
        this.clientBacklogBytes = clientBacklogBytes;
    }

    /** An unknown session is refused before the upgrade, with Livy's 404 text; another's with 403. */
    public void beforeUpgrade(Context ctx) {
        try {
            access.view(AccessGuard.user(ctx), sessions.get(ctx.pathParam("id")), "watch");
        } catch (GatewayError e) {
            throw StreamErrors.upgradeRefused(e);
        }
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(java.time.Duration.ZERO);
            Session session = sessions.get(ctx.pathParam("id"));
            User user = AccessGuard.user(ctx);  // allowed to watch by beforeUpgrade
            SharedEncoding encoding = encodings.computeIfAbsent(session.id(), id -> new SharedEncoding());
            Watcher watcher = new Watcher(new WsOutbox(ctx, clientBacklogBytes), ctx, session, user, encoding,
                    () -> encodings.remove(session.id()));
            watchers.put(ctx.sessionId(), watcher);
            metrics.streamClientOpened();
            watcher.catchingUp = true;  // what subscribe sends before it returns is the history asked for
            session.subscribe(watcher, since(ctx.queryParam("since")));
            watcher.catchingUp = false;
        });
        ws.onMessage(this::onRequest);
        ws.onClose(ctx -> {
            Watcher watcher = watchers.remove(ctx.sessionId());
            if (watcher != null) {
                metrics.streamClientClosed();
                watcher.session.unsubscribe(watcher);
            }
        });
    }

    private void onRequest(WsMessageContext ctx) {
        long received = System.nanoTime();
        Watcher watcher = watchers.get(ctx.sessionId());
        if (watcher == null) {
            return;
        }
        StreamRequest request;
        try {
            request = Json.read(ctx.message(), StreamRequest.class);
        } catch (UncheckedIOException e) {
            String cause = e.getCause().getMessage().lines().findFirst().orElse("");
            WsSender.send(ctx, new StreamUpdate.Refused(-1, 400, "Not a stream request: send JSON with a 'type' of "
                    + "execute, cancel, complete, check_complete or inspect (" + cause + ")."));
            return;
        }
        try {
            handle(watcher, request);
            metrics.relayed(GatewayMetrics.Relay.in, received);
        } catch (GatewayError e) {
            WsSender.send(ctx, StreamErrors.refused(request.requestId(), e));
        }
    }

    private void handle(Watcher watcher, StreamRequest request) {
        Session session = watcher.session;
        if (request instanceof StreamRequest.Execute execute) {
            access.modify(watcher.user, session, "execute in").submit(execute.kind(), execute.code(), statement -> {
                AuditLog.record(watcher.user, "execute", "Session " + session.id(), AuditLog.Outcome.allowed,
                        "statement " + statement.id() + ", stream");
                watcher.send(new StreamUpdate.Submitted(execute.requestId(), statement.id()));
            });
        } else if (request instanceof StreamRequest.Cancel cancel) {
            access.modify(watcher.user, session, "cancel statements in").cancel(cancel.statementId());
        } else if (request instanceof StreamRequest.Ask ask) {
            answer(watcher, ask.requestId(), access.modify(watcher.user, session, "ask the interpreter of")
                    .ask(ask.kind(), ask.question()));
        }
    }

    private static void answer(Watcher watcher, int requestId, CompletableFuture<? extends InterpreterAnswer> question) {
        question.whenComplete((answer, failure) -> {
            if (failure == null) {
                watcher.send(new StreamUpdate.Answer(requestId, answer));
            } else if (failure instanceof GatewayError refusal) {
                watcher.send(StreamErrors.refused(requestId, refusal));
            } else {
                watcher.send(new StreamUpdate.Refused(requestId, 504, "The interpreter did not answer; try again."));
            }
        });
    }

    private static long since(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One stream client of one session; tells it once, with a typed message, when the session has ended. */
    private static final class Watcher implements SessionSubscriber {
        private final WsOutbox outbox;
        private final WsContext ctx;
        private final Session session;
        private final User user;
        private final SharedEncoding encoding;
        private final Runnable onSessionClosed;
        private final AtomicBoolean toldEnded = new AtomicBoolean();
        private volatile boolean catchingUp;

        Watcher(WsOutbox outbox, WsContext ctx, Session session, User user, SharedEncoding encoding,
                Runnable onSessionClosed) {
            this.outbox = outbox;
            this.ctx = ctx;
            this.session = session;
            this.user = user;
            this.encoding = encoding;
            this.onSessionClosed = onSessionClosed;
        }

        @Override
        public void send(StreamUpdate update) {
            String json = encoding.encode(update);
            if (catchingUp) {
                outbox.sendCatchUp(json);
            } else {
                outbox.send(json);
            }
            if (update instanceof StreamUpdate.Session s && s.session().state().ended()) {
                tellEnded(s.session());
            }
        }

        @Override
        public void sessionClosed() {
            onSessionClosed.run();
            tellEnded(session.view());
            ctx.closeSession(1000, "session deleted");
        }

        private void tellEnded(SessionView view) {
            if (toldEnded.compareAndSet(false, true)) {
                List<String> log = view.log() == null ? List.of() : view.log();
                SessionState state = view.state().ended() ? view.state() : SessionState.killed;
                outbox.send(Json.write(new StreamUpdate.Ended(state, log.isEmpty() ? "" : log.get(log.size() - 1))));
            }
        }
    }
}
