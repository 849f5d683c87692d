package dev.sparkgate.gateway.errors;

/** A session of this name exists already; names are unique so that clients can attach by name. */
public final class NameTaken extends GatewayError {

    public NameTaken(String name) {
        super("A session named '" + name + "' exists already: attach to it by that name, or choose another name.");
    }
}
