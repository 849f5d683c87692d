package dev.sparkgate.gateway.errors;

/** The session has no statement by this id (any more: the oldest finished ones are dropped). */
public final class StatementNotFound extends GatewayError {

    public StatementNotFound(int sessionId, String statementId) {
        super("Statement '" + statementId + "' not found in session " + sessionId + ".");
    }
}
