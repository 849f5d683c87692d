package dev.sparkgate.gateway.errors;

/**
 * Why the gateway refuses a request or cannot finish it, as the session core decides it: a type per reason, with a
 * message that says what was wrong and what to do. No HTTP here: each API family (Livy's routes, the stream, the
 * Kernel Gateway API) maps these types to its own status codes, in one place each.
 */
public abstract sealed class GatewayError extends RuntimeException
        permits BadRequest, PayloadTooLarge, NotPermitted, NotFound, SessionNotFound, StatementNotFound, NameTaken,
        SessionNotActive, SessionEnded, NoAnswer, DriverGone, Unavailable, ImageNotDeclared, ImageProbeFailed,
        ImageProbeTimedOut, NoSparkUi, OverUserLimit, OverCapacity,
        ConfNotAllowed, NamespaceNotReady {

    protected GatewayError(String message) {
        super(message);
    }
}
