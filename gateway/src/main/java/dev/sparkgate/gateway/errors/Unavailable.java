package dev.sparkgate.gateway.errors;

/** The gateway cannot do this now (a resource is used up, or it was interrupted); the message says what frees it. */
public final class Unavailable extends GatewayError {

    public Unavailable(String message) {
        super(message);
    }
}
