package dev.sparkgate.gateway.errors;

/** The session's driver went away (it exited, or the session was deleted) before it answered. */
public final class DriverGone extends GatewayError {

    public DriverGone() {
        super("The session ended before it could answer.");
    }
}
