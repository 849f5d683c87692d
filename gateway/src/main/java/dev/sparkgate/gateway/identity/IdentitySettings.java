package dev.sparkgate.gateway.identity;

import java.net.URI;
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
     */
    public record Oidc(String issuer, URI jwks, String audience, String usernameClaim, String groupsClaim) {
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
                env.getOrDefault("SPARKGATE_OIDC_GROUPS_CLAIM", "groups"));
    }

    private static Set<String> list(String text) {
        return text == null ? Set.of() : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
