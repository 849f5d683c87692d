package dev.sparkgate.gateway.errors;

import dev.sparkgate.protocol.SessionState;

/** The session cannot take statements yet (it is still starting): wait until it is idle. */
public final class SessionNotActive extends GatewayError {

    private final SessionState state;

    public SessionNotActive(SessionState state) {
        // Livy's phrase, which its clients show as they get it.
        super("Session isn't active: it is " + state + ". Wait until it is idle, then submit.");
        this.state = state;
    }

    public SessionState state() {
        return state;
    }
}
