package dev.sparkgate.gateway.errors;

/** The request itself is wrong: a field missing, of the wrong type, or out of range. The message names it. */
public final class BadRequest extends GatewayError {

    public BadRequest(String message) {
        super(message);
    }
}
