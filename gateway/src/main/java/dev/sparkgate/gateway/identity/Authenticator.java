package dev.sparkgate.gateway.identity;

/**
 * One way in that the operator enabled. It looks at a request's {@link Credentials} and answers with a
 * {@link Verdict}: not its kind of credential ({@link Verdict.Pass}), a user, or a refusal saying what was wrong.
 * It never throws for anything a client sent: a malformed or forged credential is a refusal, answered 401.
 */
public interface Authenticator {

    Verdict authenticate(Credentials credentials);

    /** How a client presents this way's credentials, for a 401's message (e.g. "Authorization: Bearer <OIDC token>"). */
    String accepts();

    sealed interface Verdict {
        /** Not this authenticator's credential: the next one looks. */
        record Pass() implements Verdict {
        }

        record Accepted(User user) implements Verdict {
        }

        /** This authenticator's kind of credential, and not valid: {@code why} says what to fix. */
        record Refused(String why) implements Verdict {
        }

        /** Could be this authenticator's credential, but whoever checks it could not be asked: {@code why} says who. */
        record Unavailable(String why) implements Verdict {
        }

        Verdict PASS = new Pass();
    }
}
