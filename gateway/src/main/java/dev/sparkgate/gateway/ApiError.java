package dev.sparkgate.gateway;

/**
 * A request the gateway refuses, with the HTTP status and a message that says what was wrong and what to do.
 * Rendered as Livy renders errors: {@code {"msg": "..."}}.
 */
public final class ApiError extends RuntimeException {

    private final int status;

    public ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    /** Livy's exact text: Zeppelin matches it to recreate a session that is gone. */
    public static ApiError sessionNotFound(String id) {
        return new ApiError(404, "Session '" + id + "' not found.");
    }

    public static ApiError statementNotFound(int session, String statement) {
        return new ApiError(404, "Statement '" + statement + "' not found in session " + session + ".");
    }
}
