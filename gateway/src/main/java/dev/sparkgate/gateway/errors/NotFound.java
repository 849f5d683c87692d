package dev.sparkgate.gateway.errors;

/** Something other than a session or a statement that is not there: a kernel, a kernelspec, a resource. */
public final class NotFound extends GatewayError {

    public NotFound(String message) {
        super(message);
    }
}
