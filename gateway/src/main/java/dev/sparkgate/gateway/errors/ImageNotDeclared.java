package dev.sparkgate.gateway.errors;

/** An executor image whose versions the gateway cannot learn: not in the operator's catalog, and no cluster to probe. */
public final class ImageNotDeclared extends GatewayError {

    public ImageNotDeclared(String message) {
        super(message);
    }
}
