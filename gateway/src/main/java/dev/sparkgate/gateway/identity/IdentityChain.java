package dev.sparkgate.gateway.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request is: the operator's ways in, asked in turn (trusted proxy, admin token, users file, OIDC, JupyterHub);
 * the first that accepts the credentials names the user, made an administrator if the operator listed it or a group
 * of it. With no way in configured, every request is the one local user. Otherwise a request no way accepts is
 * {@link Unauthenticated}: its message says what was wrong and lists what is accepted; one that a way in could not
 * check because what it asks (JupyterHub) is down is {@link CredentialsUncheckable} instead.
 */
public final class IdentityChain {

    private final List<Authenticator> authenticators;
    private final IdentitySettings settings;
    private final String challenge;
    private final OidcSignIn oidcSignIn;

    private IdentityChain(List<Authenticator> authenticators, IdentitySettings settings, boolean basic,
                          OidcSignIn oidcSignIn) {
        this.authenticators = List.copyOf(authenticators);
        this.settings = settings;
        this.oidcSignIn = oidcSignIn;
        this.challenge = "Bearer realm=\"sparkgate\"" + (basic ? ", Basic realm=\"sparkgate\"" : "");
    }

    /** {@code adminToken}: {@code SPARKGATE_TOKEN}, or null. */
    public static IdentityChain of(String adminToken, IdentitySettings settings) {
        List<Authenticator> chain = new ArrayList<>();
        if (!settings.proxyAddresses().isEmpty()) {
            chain.add(new TrustedProxy(settings.proxyAddresses(), settings.proxyUserHeader(),
                    settings.proxyGroupsHeader()));
        }
        if (adminToken != null) {
            chain.add(new AdminToken(adminToken));
        }
        if (settings.usersFile() != null) {
            chain.add(new UsersFile(settings.usersFile()));
        }
        OidcSignIn oidcSignIn = null;
        if (settings.oidc() != null) {
            IdentitySettings.Oidc oidc = settings.oidc();
            OidcBearer bearer = new OidcBearer(oidc.issuer(), oidc.jwks(), oidc.audience(), oidc.usernameClaim(),
                    oidc.groupsClaim());
            chain.add(bearer);
            if (oidc.signIn() != null) {
                oidcSignIn = new OidcSignIn(oidc.issuer(), oidc.signIn(), bearer);
            }
        }
        if (settings.jupyterHub() != null) {
            chain.add(new JupyterHubTokens(settings.jupyterHub()));
        }
        return new IdentityChain(chain, settings, settings.usersFile() != null, oidcSignIn);
    }

    /** Whether any way in is configured; when not, everyone is the local user. */
    public boolean enabled() {
        return !authenticators.isEmpty();
    }

    /** The page's OIDC authorization-code sign-in, when the operator registered this gateway as a client. */
    public Optional<OidcSignIn> oidcSignIn() {
        return Optional.ofNullable(oidcSignIn);
    }

    /** A user the page's OIDC sign-in named, made an administrator as the chain makes its users. */
    public User admitted(User user) {
        return user.withAdmin(settings.adminUsers(), settings.adminGroups());
    }

    /**
     * The groups of a user named without credentials (a session made for them through {@code proxyUser} or
     * {@code KERNEL_USERNAME}): those the users file gives them, else none, since no other way in can be asked about
     * someone who is not presenting credentials.
     */
    public Set<String> knownGroups(String user) {
        return authenticators.stream().filter(UsersFile.class::isInstance).map(UsersFile.class::cast)
                .map(file -> file.groupsOf(user)).flatMap(Optional::stream).findFirst().orElse(Set.of());
    }

    public User resolve(Credentials credentials) {
        if (!enabled()) {
            return User.local();
        }
        List<String> refusals = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        if (credentials.malformed() != null) {
            refusals.add(credentials.malformed());
        } else {
            for (Authenticator authenticator : authenticators) {
                Authenticator.Verdict verdict = authenticator.authenticate(credentials);
                if (verdict instanceof Authenticator.Verdict.Accepted accepted) {
                    return accepted.user().withAdmin(settings.adminUsers(), settings.adminGroups());
                } else if (verdict instanceof Authenticator.Verdict.Refused refused) {
                    refusals.add(refused.why());
                } else if (verdict instanceof Authenticator.Verdict.Unavailable down) {
                    unavailable.add(down.why());
                }
            }
        }
        if (!unavailable.isEmpty()) {
            throw new CredentialsUncheckable("The credentials could not be checked: " + String.join("; ", unavailable)
                    + ". Try again shortly; if it lasts, the operator should check that service.");
        }
        String accepted = String.join(", or ", authenticators.stream().map(Authenticator::accepts).toList());
        String message = !refusals.isEmpty() ? "Not signed in: " + String.join("; ", refusals) + "."
                : credentials.hasToken() ? "Not signed in: the credentials sent are not valid for this gateway."
                : "This gateway requires a token or other credentials, and none were sent.";
        throw new Unauthenticated(message + " It accepts " + accepted + ".",
                challenge);
    }
}
