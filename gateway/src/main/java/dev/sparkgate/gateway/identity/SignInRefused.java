package dev.sparkgate.gateway.identity;

/**
 * The page's OIDC sign-in did not sign anyone in: what went wrong and what to do, and its status — 400 for a return
 * that is not this browser's sign-in (state), 401 when the issuer or its ID token did not name a user (also when the
 * issuer cannot be reached: the browser is simply not signed in, and the page offers the token sign-in), 429 when too
 * many sign-ins are under way. Never a 5xx: nothing a browser or an issuer sends breaks the gateway.
 */
public final class SignInRefused extends RuntimeException {

    private final int status;

    public SignInRefused(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
