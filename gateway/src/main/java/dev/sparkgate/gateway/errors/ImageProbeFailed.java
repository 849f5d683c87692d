package dev.sparkgate.gateway.errors;

/** The probe of an executor image failed: it could not be pulled, or did not say its versions. */
public final class ImageProbeFailed extends GatewayError {

    public ImageProbeFailed(String message) {
        super(message);
    }
}
