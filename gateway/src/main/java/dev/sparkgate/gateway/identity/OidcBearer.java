package dev.sparkgate.gateway.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * OIDC (or any JWT) bearer tokens: the signature checked against the issuer's JWKS, and the issuer, audience, expiry and
 * not-before (60 s of clock skew). nimbus-jose-jwt does all of it: it fetches the JWKS, caches it (5 minutes), fetches
 * it again when a token names a key id it does not know (at most once a second), and refuses unsigned
 * ({@code alg: none}) tokens and any algorithm but RSA's and EC's. The user's name and groups come from the
 * operator's claims ({@code SPARKGATE_OIDC_USERNAME_CLAIM}, {@code SPARKGATE_OIDC_GROUPS_CLAIM}).
 */
public final class OidcBearer implements Authenticator {

    private static final long JWKS_REFETCH_MIN_INTERVAL_MILLIS = 1000;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String issuer;
    private final String usernameClaim;
    private final String groupsClaim;
    private final JWSVerificationKeySelector<SecurityContext> keySelector;

    public OidcBearer(String issuer, URI jwks, String audience, String usernameClaim, String groupsClaim) {
        this.issuer = issuer;
        this.usernameClaim = usernameClaim;
        this.groupsClaim = groupsClaim;
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(jwks.toURL())
                    .rateLimited(JWKS_REFETCH_MIN_INTERVAL_MILLIS).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("SPARKGATE_OIDC_JWKS_URL '" + jwks + "' is not a URL: give the "
                    + "issuer's jwks_uri, e.g. https://login.example.com/.well-known/jwks.json", e);
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>(JWSAlgorithm.Family.RSA);
        algorithms.addAll(JWSAlgorithm.Family.EC);
        keySelector = new JWSVerificationKeySelector<>(algorithms, keys);
        processor.setJWSKeySelector(keySelector);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", usernameClaim)));
    }

    @Override
    public Verdict authenticate(Credentials credentials) {
        if (!credentials.hasToken() || credentials.basicUser() != null || !looksLikeJwt(credentials.token())) {
            return Verdict.PASS;
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(credentials.token(), null);
        } catch (ParseException e) {
            return new Verdict.Refused("the bearer token is not a JWT (" + e.getMessage() + ")");
        } catch (BadJOSEException e) {
            return new Verdict.Refused("the OIDC token was refused: " + e.getMessage());
        } catch (JOSEException e) {
            return new Verdict.Refused("the OIDC token could not be checked: " + e.getMessage()
                    + " (is the issuer's JWKS reachable from the gateway?)");
        } catch (RuntimeException e) {
            return new Verdict.Refused("the bearer token is not a readable JWT");
        }
        return userOf(claims);
    }

    /** The issuer's keys and the algorithms accepted, for the page's sign-in to check ID tokens as bearer tokens are. */
    JWSVerificationKeySelector<SecurityContext> keySelector() {
        return keySelector;
    }

    /** The user that verified claims name, through the operator's username and groups claims. */
    Verdict userOf(JWTClaimsSet claims) {
        Object name = claims.getClaim(usernameClaim);
        if (!(name instanceof String user) || user.isBlank()) {
            return new Verdict.Refused("the OIDC token's '" + usernameClaim + "' claim is not a user name");
        }
        return new Verdict.Accepted(new User(user, groups(claims.getClaim(groupsClaim)), false, "oidc"));
    }

    @Override
    public String accepts() {
        return "an OIDC token from " + issuer + " as 'Authorization: Bearer <token>'";
    }

    private static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    private static Set<String> groups(Object claim) {
        if (claim instanceof String one) {
            return Set.of(one);
        }
        if (claim instanceof Collection<?> many) {
            return many.stream().filter(String.class::isInstance).map(String.class::cast).collect(Collectors.toSet());
        }
        return Set.of();
    }
}
