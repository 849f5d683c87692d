package dev.sparkgate.gateway.errors;

/**
 * Something the caller may not do, or the gateway itself may not do on the caller's behalf (a Spark conf reserved to
 * the operator, a Kubernetes permission the gateway's service account lacks). The message names who can change it.
 */
public final class NotPermitted extends GatewayError {

    public NotPermitted(String message) {
        super(message);
    }
}
