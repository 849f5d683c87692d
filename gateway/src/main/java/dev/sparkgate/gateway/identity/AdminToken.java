package dev.sparkgate.gateway.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The operator's shared token ({@code SPARKGATE_TOKEN}), as before users existed: whoever holds it is the administrator
 * {@value #NAME}, who sees and acts on every session. As a bearer token, Jupyter's {@code token}, {@code ?token=}, or
 * Basic's password (with any user name, for clients that only speak Basic).
 */
public final class AdminToken implements Authenticator {

    public static final String NAME = "admin";

    private final byte[] token;

    public AdminToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Verdict authenticate(Credentials credentials) {
        if (credentials.hasToken()
                && MessageDigest.isEqual(token, credentials.token().getBytes(StandardCharsets.UTF_8))) {
            return new Verdict.Accepted(new User(NAME, Set.of(), true, "admin-token"));
        }
        return Verdict.PASS;
    }

    @Override
    public String accepts() {
        return "the gateway's token (SPARKGATE_TOKEN) as 'Authorization: Bearer <token>' or ?token=<token>";
    }
}
