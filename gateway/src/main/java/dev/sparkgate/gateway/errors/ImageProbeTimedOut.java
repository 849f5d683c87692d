package dev.sparkgate.gateway.errors;

/** The probe of an executor image did not finish in time (a slow pull, a busy cluster). */
public final class ImageProbeTimedOut extends GatewayError {

    public ImageProbeTimedOut(String message) {
        super(message);
    }
}
