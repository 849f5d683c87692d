package dev.sparkgate.gateway.errors;

/** No session has this id or name: it never existed, or it was deleted. */
public final class SessionNotFound extends GatewayError {

    private final String idOrName;

    public SessionNotFound(String idOrName) {
        // Livy's exact text: Zeppelin matches it to recreate a session that is gone.
        super("Session '" + idOrName + "' not found.");
        this.idOrName = idOrName;
    }

    public String idOrName() {
        return idOrName;
    }
}
