package dev.sparkgate.gateway.errors;

/** A statement larger than the gateway accepts: a notebook shipping data, not code. */
public final class PayloadTooLarge extends GatewayError {

    public PayloadTooLarge(String message) {
        super(message);
    }
}
