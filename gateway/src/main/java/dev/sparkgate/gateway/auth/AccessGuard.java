package dev.sparkgate.gateway.auth;

import dev.sparkgate.gateway.identity.BrowserSignIns;
import dev.sparkgate.gateway.identity.Credentials;
import dev.sparkgate.gateway.identity.CredentialsUncheckable;
import dev.sparkgate.gateway.identity.IdentityChain;
import dev.sparkgate.gateway.identity.OidcSignIn;
import dev.sparkgate.gateway.identity.Unauthenticated;
import dev.sparkgate.gateway.identity.User;
import dev.sparkgate.gateway.web.Negotiation;
import dev.sparkgate.gateway.web.WebUi;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsContext;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who every request is, before any route sees it: the {@link IdentityChain} of the operator's ways in (the admin
 * token, a users file, OIDC, JupyterHub, a trusted proxy) turns its credentials into a {@link User}, which the
 * routes read with {@link #user(Context)} to decide what is theirs. Credentials come as {@code Authorization}
 * (Bearer, Jupyter's {@code token}, Basic), or {@code ?token=T} (for WebSockets and browsers, which cannot set
 * headers). A request no way in accepts is 401 with {@code WWW-Authenticate} and what is accepted; never a 5xx.
 * Drivers authenticate their link with their own per-session secret instead; {@code /healthz} and {@code /readyz}
 * are open, for probes, and so are the browser page's static files ({@code /ui/}): a page cannot put the token on its
 * module imports, and they are the same public code for everyone. A session's Spark UI ({@code /sessions/{id}/ui/}) also takes its token from a cookie scoped to that
 * path, which the proxy sets, because Spark's own links cannot carry it.
 *
 * <p>The browser page signs in at {@link #SIGN_IN} with any token the chain accepts and gets a cookie naming a
 * sign-in kept here ({@link BrowserSignIns}); the pages themselves ({@code GET /sessions}, {@code /sessions/{id}} as
 * HTML) are served to anyone, like their static files, so that they can ask for the token; everything they fetch
 * needs the cookie or a token. A request authenticated by that cookie alone that changes anything (not GET, HEAD,
 * OPTIONS) must carry the sign-in's CSRF token in {@value #CSRF_HEADER}, which only the page's own script can read
 * (from the sign-in's answer or {@code GET /auth/me}); a WebSocket opened with the cookie must come from a page of
 * this gateway (its {@code Origin} is this {@code Host}), since browsers let any page open a WebSocket anywhere. A
 * token (header or {@code ?token=}) is never ambient, so requests carrying one need neither.
 *
 * <p>{@code /metrics} takes an administrator's credentials, or the operator's separate scrape token
 * ({@code SPARKGATE_METRICS_TOKEN}), so a Prometheus need not hold a token that can run code. With a scrape token and
 * no way in, {@code /metrics} alone requires it.
 */
public final class AccessGuard {

    /** The cookie the Spark UI proxy keeps the token in, on the session's UI path only. */
    public static final String UI_COOKIE = "sparkgate_token";
    public static final String METRICS = "/metrics";
    /** The cookie the browser page's sign-in sets: a random id of a sign-in on this gateway, nothing more. */
    public static final String SIGN_IN_COOKIE = "sparkgate_sign_in";
    public static final String CSRF_HEADER = "X-Sparkgate-CSRF";
    public static final String SIGN_IN = "/auth/sign-in";
    /** The OIDC sign-in's start and the issuer's return: open, since they are how a browser gets credentials. */
    public static final String OIDC_SIGN_IN = "/auth/oidc/";
    private static final String SIGNED_IN = "sparkgate.signIn";
    private static final String CHALLENGE = "Bearer realm=\"sparkgate\"";
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
    private static final Pattern PAGE = Pattern.compile("^/sessions(/[^/]+)?$");
    private static final String USER = "sparkgate.user";
    private static final Pattern SPARK_UI = Pattern.compile("^/sessions/[^/]+/ui(/.*)?$");

    private final IdentityChain identities;
    private final byte[] metricsToken;
    private final BrowserSignIns signIns;

    /** {@code workDir}: where the page's sign-ins are kept, so a restart signs no browser out. */
    public AccessGuard(IdentityChain identities, String metricsToken, Path workDir) {
        this.identities = identities;
        this.signIns = new BrowserSignIns(Clock.systemUTC(), workDir.resolve("sign-ins"));
        this.metricsToken = metricsToken == null || metricsToken.isBlank() ? null
                : metricsToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether requests need credentials (any way in is configured). */
    public boolean enabled() {
        return identities.enabled();
    }

    public void check(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/driver/") || path.equals("/healthz") || path.equals("/readyz")
                || path.startsWith(WebUi.ASSETS) || path.equals(SIGN_IN) || path.startsWith(OIDC_SIGN_IN)
                || isPage(ctx)) {
            return;
        }
        String queryToken = ctx.queryParam("token");
        if (queryToken == null && ctx.header("Authorization") == null && SPARK_UI.matcher(path).matches()) {
            queryToken = ctx.cookie(UI_COOKIE);
        }
        String signInCookie = ctx.cookie(SIGN_IN_COOKIE);
        if (queryToken == null && ctx.header("Authorization") == null && signInCookie != null
                && identities.enabled()) {
            signedIn(ctx, signInCookie);
            return;
        }
        Credentials credentials = Credentials.parse(ctx.header("Authorization"), queryToken, ctx.ip(), ctx::header);
        if (path.equals(METRICS) && metricsToken != null) {
            if (credentials.hasToken() && MessageDigest.isEqual(metricsToken,
                    credentials.token().getBytes(StandardCharsets.UTF_8))) {
                return;
            }
            if (!identities.enabled()) {
                refuse(ctx, new Unauthenticated(credentials.hasToken()
                        ? "The token is not valid for /metrics: check SPARKGATE_METRICS_TOKEN and the token you sent."
                        : "/metrics requires the scrape token (SPARKGATE_METRICS_TOKEN) as 'Authorization: Bearer "
                                + "<token>'.", "Bearer realm=\"sparkgate\""));
            }
        }
        User user = resolve(ctx, credentials);
        requireAdminForMetrics(ctx, user);
        ctx.attribute(USER, user);
    }

    private User resolve(Context ctx, Credentials credentials) {
        try {
            return identities.resolve(credentials);
        } catch (Unauthenticated e) {
            refuse(ctx, e);
            throw e;
        } catch (CredentialsUncheckable e) {
            ctx.header("Retry-After", "5");
            throw new ServiceUnavailableResponse(e.getMessage(), Map.of());
        }
    }

    /** What /metrics shows is the operator's: admins and the scraper. */
    private static void requireAdminForMetrics(Context ctx, User user) {
        if (ctx.path().equals(METRICS) && !user.admin()) {
            throw new ForbiddenResponse("/metrics is for administrators and for the scrape token "
                    + "(SPARKGATE_METRICS_TOKEN); " + user.name() + " is neither.", Map.of());
        }
    }

    /** The page itself, which holds no data and asks for the token; its API calls are checked as any others. */
    private static boolean isPage(Context ctx) {
        return ctx.method() == HandlerType.GET && PAGE.matcher(ctx.path()).matches()
                && Negotiation.wantsPage(ctx.header("Accept"));
    }

    private void signedIn(Context ctx, String cookie) {
        BrowserSignIns.SignIn signIn = signIns.find(cookie).orElse(null);
        if (signIn == null) {
            refuse(ctx, new Unauthenticated("The page's sign-in has ended (signed out, or older than "
                    + BrowserSignIns.LIFETIME.toHours() + " hours): sign in again.",
                    CHALLENGE));
        }
        if (!SAFE.contains(ctx.method())) {
            String sent = ctx.header(CSRF_HEADER);
            if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                    signIn.csrfToken().getBytes(StandardCharsets.UTF_8))) {
                throw new ForbiddenResponse("A change made with the page's sign-in cookie must carry the sign-in's "
                        + CSRF_HEADER + " header (the page's script sends it; it is in GET /auth/me). Without it, "
                        + "another site could be making this request in your name.", Map.of());
            }
        }
        if ("websocket".equalsIgnoreCase(ctx.header("Upgrade")) && !sameOrigin(ctx)) {
            throw new ForbiddenResponse("A WebSocket opened with the page's sign-in cookie must come from this "
                    + "gateway's own page (its Origin must be this Host); other clients send a token.", Map.of());
        }
        requireAdminForMetrics(ctx, signIn.user());
        ctx.attribute(USER, signIn.user());
        ctx.attribute(SIGNED_IN, signIn);
    }

    private static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin == null || host == null) {
            return false;
        }
        try {
            return host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Signs the page in with a token (or Basic's user and password) the chain accepts; refused as any request is. */
    public BrowserSignIns.SignIn signIn(Context ctx, String user, String token) {
        Credentials credentials = user == null || user.isBlank()
                ? new Credentials(token == null || token.isEmpty() ? null : "bearer",
                        token == null || token.isEmpty() ? null : token, null, null, ctx.ip(), ctx::header)
                : new Credentials("basic", token, user, null, ctx.ip(), ctx::header);
        return signIns.start(resolve(ctx, credentials));
    }

    /** Signs the page in as the user the OIDC sign-in brought back, made an administrator as the chain does. */
    public BrowserSignIns.SignIn signIn(User user) {
        return signIns.start(identities.admitted(user));
    }

    /** The page's OIDC sign-in, when configured. */
    public Optional<OidcSignIn> oidcSignIn() {
        return identities.oidcSignIn();
    }

    /** Ends the sign-in this request came with, if it came with one. */
    public void signOut(Context ctx) {
        BrowserSignIns.SignIn signIn = ctx.attribute(SIGNED_IN);
        if (signIn != null) {
            signIns.end(signIn.id());
        }
    }

    /** The sign-in this request came with, or null for a request with a token. */
    public static BrowserSignIns.SignIn signInOf(Context ctx) {
        return ctx.attribute(SIGNED_IN);
    }

    private static void refuse(Context ctx, Unauthenticated e) {
        ctx.header("WWW-Authenticate", e.challenge());
        throw new UnauthorizedResponse(e.getMessage(), Map.of());
    }

    /**
     * Who made this request, as {@link #check} named them; on a route it did not check, nobody (an identity that owns
     * nothing and sees nothing), so a route wired around the check fails closed.
     */
    public static User user(Context ctx) {
        User user = ctx.attribute(USER);
        return user == null ? User.NOBODY : user;
    }

    /** Who opened this WebSocket (named when its upgrade was checked). */
    public static User user(WsContext ctx) {
        User user = ctx.attribute(USER);
        return user == null ? User.NOBODY : user;
    }
}
