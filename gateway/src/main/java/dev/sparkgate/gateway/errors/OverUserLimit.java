package dev.sparkgate.gateway.errors;

/**
 * A user asked for more than their fair share: a session, executors or driver memory beyond a per-user limit. The
 * message names the limit, its setting and what the user holds now; deleting a session of theirs frees room.
 */
public final class OverUserLimit extends GatewayError {

    public OverUserLimit(String message) {
        super(message);
    }
}
