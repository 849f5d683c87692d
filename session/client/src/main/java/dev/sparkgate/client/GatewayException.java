package dev.sparkgate.client;

/** The gateway could not be reached, refused a request, or the session ended: {@code getMessage()} is for the user. */
public class GatewayException extends RuntimeException {

    private final int status;

    public GatewayException(int status, String message) {
        super(message);
        this.status = status;
    }

    public GatewayException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status the gateway answered with, or 0 when it was not reached. */
    public int status() {
        return status;
    }
}
