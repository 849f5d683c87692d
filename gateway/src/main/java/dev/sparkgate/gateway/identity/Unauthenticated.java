package dev.sparkgate.gateway.identity;

/**
 * No enabled way in accepted the request's credentials: answered 401, with {@code WWW-Authenticate} and this message
 * (what was wrong, and which credentials this gateway accepts).
 */
public final class Unauthenticated extends RuntimeException {

    private final String challenge;

    public Unauthenticated(String message, String challenge) {
        super(message);
        this.challenge = challenge;
    }

    /** The {@code WWW-Authenticate} value. */
    public String challenge() {
        return challenge;
    }
}
