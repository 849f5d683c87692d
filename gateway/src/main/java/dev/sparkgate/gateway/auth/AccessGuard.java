package dev.sparkgate.gateway.auth;

import dev.sparkgate.gateway.identity.Credentials;
import dev.sparkgate.gateway.identity.IdentityChain;
import dev.sparkgate.gateway.identity.Unauthenticated;
import dev.sparkgate.gateway.identity.User;
import dev.sparkgate.gateway.web.WebUi;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who every request is, before any route sees it: the {@link IdentityChain} of the operator's ways in (the admin
 * token, a users file, OIDC, JupyterHub, a trusted proxy) turns its credentials into a {@link User}, which the
 * routes read with {@link #user(Context)} to decide what is theirs. Credentials come as {@code Authorization}
 * (Bearer, Jupyter's {@code token}, Basic), or {@code ?token=T} (for WebSockets and browsers, which cannot set
 * headers). A request no way in accepts is 401 with {@code WWW-Authenticate} and what is accepted; never a 5xx.
 * Drivers authenticate their link with their own per-session secret instead; {@code /healthz} and {@code /readyz}
 * are open, for probes, and so are the browser page's static files ({@code /ui/}): a page cannot put the token on its
 * module imports, and they are the same public code for everyone. The pages themselves, and all they fetch, need
 * credentials. A session's Spark UI ({@code /sessions/{id}/ui/}) also takes its token from a cookie scoped to that
 * path, which the proxy sets, because Spark's own links cannot carry it.
 *
 * <p>{@code /metrics} takes any credentials, or the operator's separate scrape token
 * ({@code SPARKGATE_METRICS_TOKEN}), so a Prometheus need not hold a token that can run code. With a scrape token and
 * no way in, {@code /metrics} alone requires it.
 */
public final class AccessGuard {

    /** The cookie the Spark UI proxy keeps the token in, on the session's UI path only. */
    public static final String UI_COOKIE = "sparkgate_token";
    public static final String METRICS = "/metrics";
    private static final String USER = "sparkgate.user";
    private static final Pattern SPARK_UI = Pattern.compile("^/sessions/[^/]+/ui(/.*)?$");

    private final IdentityChain identities;
    private final byte[] metricsToken;

    public AccessGuard(IdentityChain identities, String metricsToken) {
        this.identities = identities;
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
                || path.startsWith(WebUi.ASSETS)) {
            return;
        }
        String queryToken = ctx.queryParam("token");
        if (queryToken == null && ctx.header("Authorization") == null && SPARK_UI.matcher(path).matches()) {
            queryToken = ctx.cookie(UI_COOKIE);
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
        try {
            ctx.attribute(USER, identities.resolve(credentials));
        } catch (Unauthenticated e) {
            refuse(ctx, e);
        }
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
