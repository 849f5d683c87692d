package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.bridge.client.GatewayClient;
import dev.sparkgate.bridge.client.GatewayException;
import dev.sparkgate.bridge.client.SessionStream;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.StreamUpdate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open stream to one gateway session. It submits, cancels and completes, and routes the events of the statements
 * it submitted to their inboxes; statements other clients of the session run are not ours and pass by.
 */
final class SessionConnection implements SessionStream.Listener {

    /** How the gateway, as Livy, refuses a statement for a session that has ended. */
    private static final String ENDED_REFUSAL = "Session is in state";

    private final int sessionId;
    private final Map<Integer, StatementInbox> inboxes = new ConcurrentHashMap<>();
    private volatile SessionStream stream;
    private volatile SessionState state = SessionState.starting;
    private volatile String closedBecause;

    private SessionConnection(int sessionId) {
        this.sessionId = sessionId;
    }

    static SessionConnection open(GatewayClient client, int sessionId) {
        SessionConnection connection = new SessionConnection(sessionId);
        connection.stream = client.openStream(sessionId, connection);
        return connection;
    }

    int sessionId() {
        return sessionId;
    }

    SessionState state() {
        return state;
    }

    /** Whether statements can still go through: the stream is open and the session has not ended. */
    boolean usable() {
        return closedBecause == null && stream.isOpen() && !state.over();
    }

    /** Submits code and returns its statement id; the statement's events collect in {@link #inbox} meanwhile. */
    int execute(String kind, String code) {
        try {
            return stream.execute(kind, code);
        } catch (GatewayException refused) {
            if (refused.getMessage() != null && refused.getMessage().startsWith(ENDED_REFUSAL)) {
                // The session ended before its stream said so.
                state = SessionState.dead;
            }
            throw refused;
        }
    }

    StatementInbox inbox(int statementId) {
        StatementInbox inbox = inboxes.computeIfAbsent(statementId, id -> new StatementInbox());
        if (closedBecause != null) {
            inbox.lose(closedBecause);
        }
        return inbox;
    }

    /** The paragraph is done with the statement. */
    void forget(int statementId) {
        inboxes.remove(statementId);
    }

    /** Asks the gateway to cancel; the statement's {@code finished} event says when it is. */
    void cancel(int statementId) {
        try {
            stream.cancel(statementId);
        } catch (RuntimeException closed) {
            // the connection is gone, and the paragraph learns it from its inbox
        }
    }

    List<String> complete(String kind, String code, int cursor) {
        return stream.ask(kind, new InterpreterQuestion.Complete(code, cursor)).candidates();
    }

    void close() {
        stream.close();
    }

    @Override
    public void onUpdate(StreamUpdate update) {
        if (update instanceof StreamUpdate.Submitted submitted) {
            // The stream sends a statement's id before any of its events: from here on they have a place to go.
            inbox(submitted.statementId());
        } else if (update instanceof StreamUpdate.Event event) {
            StatementInbox inbox = inboxes.get(event.event().statementId());
            if (inbox != null) {
                inbox.deliver(event.event());
            }
        } else if (update instanceof StreamUpdate.Session session) {
            state = session.session().state();
        }
    }

    @Override
    public void onClosed(int code, String reason) {
        closedBecause = "The connection to Sparkgate session " + sessionId + " closed ("
                + (reason == null || reason.isBlank() ? "code " + code : reason) + "): the session was deleted, or "
                + "the gateway stopped or cannot be reached. Run the paragraph again: it goes on in the same session "
                + "if that still runs, or else in a new one.";
        inboxes.values().forEach(inbox -> inbox.lose(closedBecause));
    }
}
