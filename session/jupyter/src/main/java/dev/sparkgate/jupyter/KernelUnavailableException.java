package dev.sparkgate.jupyter;

/**
 * The kernel cannot reach a working session: the gateway is down, the token is wrong, the session ended. The message
 * is what the notebook user reads, so it says what happened and what to do.
 */
public final class KernelUnavailableException extends RuntimeException {

    public KernelUnavailableException(String message) {
        super(message);
    }

    public KernelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
