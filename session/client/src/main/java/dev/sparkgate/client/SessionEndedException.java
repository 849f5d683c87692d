package dev.sparkgate.client;

import dev.sparkgate.protocol.SessionState;

/**
 * The session has ended (its stream said so with an {@code ended} message, or the gateway no longer has it): nothing
 * will run in it again. A front end tells its user and, if it owns the session, starts a new one.
 */
public final class SessionEndedException extends GatewayException {

    private final int sessionId;
    private final SessionState state;
    private final String cause;

    public SessionEndedException(int sessionId, SessionState state, String cause) {
        super(0, "Sparkgate session " + sessionId + " has ended (" + state + ")"
                + (cause == null || cause.isBlank() ? "." : ": " + cause));
        this.sessionId = sessionId;
        this.state = state;
        this.cause = cause == null ? "" : cause;
    }

    public int sessionId() {
        return sessionId;
    }

    public SessionState state() {
        return state;
    }

    /** Why, in the gateway's words (the session's last log line), or empty. */
    public String cause() {
        return cause;
    }
}
