package dev.sparkgate.gateway.errors;

import dev.sparkgate.protocol.SessionState;

/** The session is over for good (its driver is gone); {@code cause} is the last line of its log, which says why. */
public final class SessionEnded extends GatewayError {

    private final SessionState state;
    private final String cause;

    public SessionEnded(SessionState state, String cause) {
        // Livy's phrase: Zeppelin recognises a dead session by it.
        super("Session is in state " + state + ": " + cause + " Create a new session to go on.");
        this.state = state;
        this.cause = cause;
    }

    public SessionState state() {
        return state;
    }

    public String cause() {
        return cause;
    }
}
