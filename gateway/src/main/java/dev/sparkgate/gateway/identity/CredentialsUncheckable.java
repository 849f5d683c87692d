package dev.sparkgate.gateway.identity;

/**
 * The credentials could not be checked: a way in that must ask someone else (JupyterHub) could not reach them, and
 * no other way accepted the request. Not the client's fault and not a refusal: 503, to be tried again, never 401,
 * which would tell a client its valid token is wrong.
 */
public final class CredentialsUncheckable extends RuntimeException {

    public CredentialsUncheckable(String message) {
        super(message);
    }
}
