package dev.sparkgate.gateway.identity;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's ways in and who may do what, from {@code SPARKGATE_*} (the admin token stays
 * {@code SPARKGATE_TOKEN}, in {@code GatewayConfig}). Each way in is off until its setting is given; with none at all
 * (and no token) the gateway has one local user, as before.
 *
 * @param usersFile       {@code SPARKGATE_USERS_FILE}: name:bcrypt-hash:groups lines, or null
 * @param oidc            {@code SPARKGATE_OIDC_*}, or null
 * @param proxyAddresses  {@code SPARKGATE_AUTH_PROXY_ADDRESSES}: the trusted proxy's IP addresses (comma-separated)
 * @param proxyUserHeader {@code SPARKGATE_AUTH_PROXY_USER_HEADER}, default {@code X-Forwarded-User}
 * @param proxyGroupsHeader {@code SPARKGATE_AUTH_PROXY_GROUPS_HEADER}, default {@code X-Forwarded-Groups}
 * @param jupyterHub      {@code SPARKGATE_JUPYTERHUB_URL}: the Hub whose API tokens are accepted, or null
 * @param adminUsers      {@code SPARKGATE_ADMIN_USERS}: who sees and acts on every session
 * @param adminGroups     {@code SPARKGATE_ADMIN_GROUPS}
 * @param impersonators   {@code SPARKGATE_IMPERSONATORS}: service identities that may act as another user
 *                        ({@code proxyUser}, {@code KERNEL_USERNAME}), e.g. a Zeppelin server's
 */
public record IdentitySettings(Path usersFile, Oidc oidc, Set<String> proxyAddresses, String proxyUserHeader,
                               String proxyGroupsHeader, URI jupyterHub, Set<String> adminUsers,
                               Set<String> adminGroups, Set<String> impersonators) {

    /**
     * @param issuer        {@code SPARKGATE_OIDC_ISSUER}: the {@code iss} tokens must carry
     * @param jwks          {@code SPARKGATE_OIDC_JWKS_URL}: where the issuer publishes its keys
     * @param audience      {@code SPARKGATE_OIDC_AUDIENCE}: the {@code aud} tokens must carry (this gateway's client id)
     * @param usernameClaim {@code SPARKGATE_OIDC_USERNAME_CLAIM}, default {@code preferred_username}
     * @param groupsClaim   {@code SPARKGATE_OIDC_GROUPS_CLAIM}, default {@code groups}
     * @param signIn        the page's authorization-code sign-in, or null when the operator registered no client
     */
    public record Oidc(String issuer, URI jwks, String audience, String usernameClaim, String groupsClaim,
                       SignIn signIn) {
    }

    /**
     * The page's "Sign in with" the issuer: this gateway as an OIDC client of it.
     *
     * @param clientId     {@code SPARKGATE_OIDC_CLIENT_ID}: the client registered at the issuer; its ID tokens carry
     *                     it as their audience
     * @param clientSecret read from {@code SPARKGATE_OIDC_CLIENT_SECRET_FILE} (a file, so it is in no process listing
     *                     or environment dump), or null for a public client, which PKCE alone protects
     * @param redirectUri  {@code SPARKGATE_OIDC_REDIRECT_URL}: where the issuer sends the browser back, as registered
     *                     ({@code https://<gateway>/auth/oidc/callback}); null to derive it from each request's
     *                     {@code Host} (and {@code X-Forwarded-Proto})
     * @param scopes       {@code SPARKGATE_OIDC_SCOPES}, default {@code openid profile email}
     */
    public record SignIn(String clientId, String clientSecret, URI redirectUri, String scopes) {
    }

    public static IdentitySettings none() {
        return new IdentitySettings(null, null, Set.of(), "X-Forwarded-User", "X-Forwarded-Groups", null, Set.of(),
                Set.of(), Set.of());
    }

    public static IdentitySettings fromEnvironment(Map<String, String> env) {
        return new IdentitySettings(
                blank(env.get("SPARKGATE_USERS_FILE")) ? null : Path.of(env.get("SPARKGATE_USERS_FILE")),
                oidc(env),
                list(env.get("SPARKGATE_AUTH_PROXY_ADDRESSES")),
                env.getOrDefault("SPARKGATE_AUTH_PROXY_USER_HEADER", "X-Forwarded-User"),
                env.getOrDefault("SPARKGATE_AUTH_PROXY_GROUPS_HEADER", "X-Forwarded-Groups"),
                blank(env.get("SPARKGATE_JUPYTERHUB_URL")) ? null : URI.create(env.get("SPARKGATE_JUPYTERHUB_URL")),
                list(env.get("SPARKGATE_ADMIN_USERS")),
                list(env.get("SPARKGATE_ADMIN_GROUPS")),
                list(env.get("SPARKGATE_IMPERSONATORS")));
    }

    private static Oidc oidc(Map<String, String> env) {
        String issuer = env.get("SPARKGATE_OIDC_ISSUER");
        if (blank(issuer)) {
            return null;
        }
        String jwks = env.get("SPARKGATE_OIDC_JWKS_URL");
        String audience = env.get("SPARKGATE_OIDC_AUDIENCE");
        if (blank(jwks) || blank(audience)) {
            throw new IllegalArgumentException("SPARKGATE_OIDC_ISSUER is set, so SPARKGATE_OIDC_JWKS_URL (the "
                    + "issuer's jwks_uri) and SPARKGATE_OIDC_AUDIENCE (the aud its tokens for this gateway carry) "
                    + "must be set too.");
        }
        return new Oidc(issuer, URI.create(jwks), audience,
                env.getOrDefault("SPARKGATE_OIDC_USERNAME_CLAIM", "preferred_username"),
                env.getOrDefault("SPARKGATE_OIDC_GROUPS_CLAIM", "groups"), signIn(env));
    }

    private static SignIn signIn(Map<String, String> env) {
        String clientId = env.get("SPARKGATE_OIDC_CLIENT_ID");
        if (blank(clientId)) {
            return null;
        }
        String secret = null;
        String secretFile = env.get("SPARKGATE_OIDC_CLIENT_SECRET_FILE");
        if (!blank(secretFile)) {
            try {
                secret = Files.readString(Path.of(secretFile)).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("SPARKGATE_OIDC_CLIENT_SECRET_FILE '" + secretFile + "' cannot be "
                        + "read (" + e.getMessage() + "): give a file holding the client secret the issuer issued, "
                        + "or unset it for a public client.", e);
            }
        }
        String redirect = env.get("SPARKGATE_OIDC_REDIRECT_URL");
        return new SignIn(clientId.strip(), secret, blank(redirect) ? null : URI.create(redirect.strip()),
                env.getOrDefault("SPARKGATE_OIDC_SCOPES", "openid profile email"));
    }

    private static Set<String> list(String text) {
        return text == null ? Set.of() : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
