package dev.sparkgate.gateway.errors;

/**
 * The namespace a session's placement names (by the operator's template, for its user or group) is not ready for
 * sessions: it does not exist, lacks the drivers' service account, or the gateway is not bound there. Nothing was
 * created; the operator prepares the namespace (the message names it and how), then the same request succeeds: 409.
 */
public final class NamespaceNotReady extends GatewayError {

    public NamespaceNotReady(String message) {
        super(message);
    }
}
