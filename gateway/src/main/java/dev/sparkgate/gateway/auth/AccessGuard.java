package dev.sparkgate.gateway.auth;

import dev.sparkgate.gateway.web.WebUi;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The gateway's token check. With a token configured, every request must carry it: {@code Authorization: Bearer T},
 * Jupyter's {@code Authorization: token T}, or {@code ?token=T} (for WebSockets and browsers, which cannot set headers).
 * Drivers authenticate their link with their own per-session secret instead; {@code /healthz} and {@code /readyz}
 * are open, for probes, and so are the browser page's static files ({@code /ui/}): a page cannot put the token on its
 * module imports, and they are the same public code for everyone. The pages themselves, and all they fetch, need the
 * token. A session's Spark UI ({@code /sessions/{id}/ui/}) also takes it from a cookie scoped to that path, which
 * the proxy sets, because Spark's own links cannot carry it.
 *
 * <p>{@code /metrics} takes the gateway's token, or the operator's separate scrape token
 * ({@code SPARKGATE_METRICS_TOKEN}), so a Prometheus need not hold a token that can run code. With a scrape token and
 * no gateway token, {@code /metrics} alone requires it.
 */
public final class AccessGuard {

    /** The cookie the Spark UI proxy keeps the token in, on the session's UI path only. */
    public static final String UI_COOKIE = "sparkgate_token";
    public static final String METRICS = "/metrics";
    private static final Pattern SPARK_UI = Pattern.compile("^/sessions/[^/]+/ui(/.*)?$");

    private final byte[] token;
    private final byte[] metricsToken;

    public AccessGuard(String token) {
        this(token, null);
    }

    public AccessGuard(String token, String metricsToken) {
        this.token = bytes(token);
        this.metricsToken = bytes(metricsToken);
    }

    public boolean enabled() {
        return token != null;
    }

    public void check(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/driver/") || path.equals("/healthz") || path.equals("/readyz")
                || path.startsWith(WebUi.ASSETS)) {
            return;
        }
        boolean metrics = path.equals(METRICS);
        if (token == null && !(metrics && metricsToken != null)) {
            return;
        }
        String presented = presented(ctx.header("Authorization"), ctx.queryParam("token"));
        if (presented == null && SPARK_UI.matcher(path).matches()) {
            presented = ctx.cookie(UI_COOKIE);
        }
        boolean valid = matches(token, presented) || (metrics && matches(metricsToken, presented));
        if (!valid) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new UnauthorizedResponse(presented == null
                    ? "This gateway requires a token: send 'Authorization: Bearer <token>' or add ?token=<token>."
                    : "The token is not valid for this gateway: check SPARKGATE_TOKEN"
                            + (metrics ? " (or SPARKGATE_METRICS_TOKEN)" : "") + " and the token you sent.",
                    Map.of());
        }
    }

    private static boolean matches(byte[] expected, String presented) {
        return expected != null && presented != null
                && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String value) {
        return value == null || value.isBlank() ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    static String presented(String authorization, String queryToken) {
        if (authorization != null) {
            String[] parts = authorization.trim().split("\\s+", 2);
            if (parts.length == 2 && (parts[0].equalsIgnoreCase("bearer") || parts[0].equalsIgnoreCase("token"))) {
                return parts[1];
            }
        }
        return queryToken;
    }
}
