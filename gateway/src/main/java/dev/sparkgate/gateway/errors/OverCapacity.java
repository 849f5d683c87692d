package dev.sparkgate.gateway.errors;

/**
 * The gateway holds as much as it takes (sessions, or its drivers' memory on this machine), whoever asks: try again
 * after {@link #retryAfterSeconds()}, which each API family sends as {@code Retry-After}.
 */
public final class OverCapacity extends GatewayError {

    private final int retryAfterSeconds;

    public OverCapacity(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
