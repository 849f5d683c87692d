package dev.sparkgate.gateway.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser page's "Sign in with" the OIDC issuer: the authorization-code flow with PKCE (S256), a state and a
 * nonce, as the nimbus OAuth 2.0 / OIDC SDK speaks it. {@link #start} finds the issuer's endpoints (discovery, kept
 * once found) and gives the address to send the browser to; {@link #finish} takes the browser's return, spends its
 * state once, exchanges the code at the token endpoint with the PKCE verifier (and the client secret, if any), and
 * checks the ID token as bearer tokens are checked (the issuer's JWKS, issuer, expiry) with the client id as its
 * audience and the nonce it was sent with. Every failure is a {@link SignInRefused} saying what went wrong; nothing
 * here signs anyone in, which is the caller's step once a user comes back.
 */
public final class OidcSignIn {

    /** How long a browser has at the issuer: enough to type a password and pass a second factor. */
    public static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
    /** Sign-ins begun and not finished that are kept at once; anyone may begin one, so they are bounded. */
    private static final int MAX_PENDING = 10_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    /** Where a finished sign-in may return: the page's own addresses only, never another site (no open redirect). */
    private static final Pattern PAGE = Pattern.compile("^/sessions(/[A-Za-z0-9._~-]+)?$");

    /** The address to send the browser to, and the state to bind to it (the caller keeps it in a cookie). */
    public record Started(URI authorization, String state) {
    }

    /** Who came back, and the page they set out from. */
    public record Finished(User user, String next) {
    }

    private record Pending(Nonce nonce, CodeVerifier verifier, URI redirect, String next, Instant expires) {
    }

    private final Issuer issuer;
    private final ClientID clientId;
    private final Secret secret;
    private final URI redirectUri;
    private final Scope scope;
    private final OidcBearer bearer;
    private final IDTokenValidator validator;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private volatile OIDCProviderMetadata metadata;

    OidcSignIn(String issuer, IdentitySettings.SignIn settings, OidcBearer bearer) {
        this.issuer = new Issuer(issuer);
        this.clientId = new ClientID(settings.clientId());
        this.secret = settings.clientSecret() == null ? null : new Secret(settings.clientSecret());
        this.redirectUri = settings.redirectUri();
        this.scope = Scope.parse(settings.scopes());
        if (!scope.contains("openid")) {
            scope.add("openid");
        }
        this.bearer = bearer;
        this.validator = new IDTokenValidator(this.issuer, clientId, bearer.keySelector(), null);
    }

    /** What the page's button says it signs in with. */
    public String issuer() {
        return issuer.getValue();
    }

    /**
     * Begins a sign-in. {@code derivedRedirect}: the callback on the address the browser used, taken when the operator
     * gave none; {@code next}: the page to return to.
     */
    public Started start(URI derivedRedirect, String next) {
        OIDCProviderMetadata provider = discover();
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.expires().isBefore(now));
        if (pending.size() >= MAX_PENDING) {
            throw new SignInRefused(429, "Too many sign-ins are under way on this gateway; try again in a few "
                    + "minutes.");
        }
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        URI redirect = redirectUri != null ? redirectUri : derivedRedirect;
        pending.put(state.getValue(), new Pending(nonce, verifier, redirect,
                next != null && PAGE.matcher(next).matches() ? next : "/sessions", now.plus(PENDING_LIFETIME)));
        URI authorization = new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), scope,
                clientId, redirect)
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI();
        return new Started(authorization, state.getValue());
    }

    /**
     * Finishes a sign-in from the issuer's redirect: {@code state} and {@code code} (or {@code error} and its
     * description) as the issuer sent them, and {@code browserState} the state this browser was given at the start.
     */
    public Finished finish(String state, String browserState, String code, String error, String errorDescription) {
        if (state == null || browserState == null || !state.equals(browserState)) {
            // Spent only when it is this browser's: someone else's link cannot cancel a sign-in under way.
            throw new SignInRefused(400, "This sign-in did not start in this browser, or has already finished (the "
                    + "state the issuer returned is not this browser's). Start again from the sign-in page.");
        }
        Pending started = pending.remove(state);
        if (started == null || started.expires().isBefore(clock.instant())) {
            throw new SignInRefused(400, "This sign-in has already finished or took longer than "
                    + PENDING_LIFETIME.toMinutes() + " minutes. Start again from the sign-in page.");
        }
        if (error != null) {
            throw new SignInRefused(401, "The issuer " + issuer() + " did not sign you in: " + error
                    + (errorDescription == null ? "" : " (" + errorDescription + ")") + ".");
        }
        if (code == null || code.isBlank()) {
            throw new SignInRefused(400, "The issuer's redirect carried no authorization code. Start again from the "
                    + "sign-in page.");
        }
        JWT idToken = exchange(code, started);
        IDTokenClaimsSet claims;
        try {
            claims = validator.validate(idToken, started.nonce());
        } catch (BadJOSEException e) {
            throw new SignInRefused(401, "The ID token from " + issuer() + " was refused: " + e.getMessage() + ".");
        } catch (JOSEException e) {
            throw new SignInRefused(401, "The ID token from " + issuer() + " could not be checked: "
                    + e.getMessage() + " (can the gateway reach the issuer's JWKS?).");
        }
        Authenticator.Verdict verdict;
        try {
            verdict = bearer.userOf(claims.toJWTClaimsSet());
        } catch (ParseException e) {
            throw new SignInRefused(401, "The ID token's claims are not readable: " + e.getMessage() + ".");
        }
        if (verdict instanceof Authenticator.Verdict.Accepted accepted) {
            return new Finished(accepted.user(), started.next());
        }
        throw new SignInRefused(401, "The ID token from " + issuer() + " names no user: "
                + ((Authenticator.Verdict.Refused) verdict).why() + ".");
    }

    private JWT exchange(String code, Pending started) {
        OIDCProviderMetadata provider = discover();
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), started.redirect(),
                started.verifier());
        TokenRequest request = secret == null
                ? new TokenRequest(provider.getTokenEndpointURI(), clientId, grant, null)
                : new TokenRequest(provider.getTokenEndpointURI(), new ClientSecretBasic(clientId, secret), grant, null);
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        http.setReadTimeout(READ_TIMEOUT_MILLIS);
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException e) {
            throw new SignInRefused(401, "The issuer " + issuer() + " could not be reached to finish the sign-in ("
                    + e.getMessage() + "). Try again shortly; if it lasts, the operator should check the issuer.");
        } catch (ParseException e) {
            throw new SignInRefused(401, "The issuer's token endpoint answered something that is not a token "
                    + "response (" + e.getMessage() + "). Try again; if it lasts, the operator should check the issuer.");
        }
        if (!response.indicatesSuccess()) {
            ErrorObject why = response.toErrorResponse().getErrorObject();
            throw new SignInRefused(401, "The issuer " + issuer() + " refused the sign-in's code: " + why.getCode()
                    + (why.getDescription() == null ? "" : " (" + why.getDescription() + ")")
                    + ". Start again from the sign-in page.");
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw new SignInRefused(401, "The issuer " + issuer() + " sent no ID token; is 'openid' among "
                    + "SPARKGATE_OIDC_SCOPES?");
        }
        return idToken;
    }

    /** The issuer's endpoints, from its discovery document; kept once found, asked for again until then. */
    private OIDCProviderMetadata discover() {
        OIDCProviderMetadata known = metadata;
        if (known != null) {
            return known;
        }
        try {
            known = OIDCProviderMetadata.resolve(issuer, CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS);
        } catch (IOException | GeneralException e) {
            throw new SignInRefused(401, "The issuer " + issuer() + " could not be asked for its endpoints ("
                    + e.getMessage() + " at its /.well-known/openid-configuration). Try again shortly, or sign in "
                    + "with a token; if it lasts, the operator should check SPARKGATE_OIDC_ISSUER.");
        }
        metadata = known;
        return known;
    }
}
