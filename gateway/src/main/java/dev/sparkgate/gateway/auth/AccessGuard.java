package dev.sparkgate.gateway.auth;

import dev.sparkgate.gateway.web.WebUi;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The gateway's token check. With a token configured, every request must carry it: {@code Authorization: Bearer T},
 * Jupyter's {@code Authorization: token T}, or {@code ?token=T} (for WebSockets and browsers, which cannot set headers).
 * Drivers authenticate their link with their own per-session secret instead; {@code /healthz} is open, for probes,
 * and so are the browser page's static files ({@code /ui/}): a page cannot put the token on its module imports, and
 * they are the same public code for everyone. The pages themselves, and all they fetch, need the token.
 */
public final class AccessGuard {

    private final byte[] token;

    public AccessGuard(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean enabled() {
        return token != null;
    }

    public void check(Context ctx) {
        if (token == null || ctx.path().startsWith("/driver/") || ctx.path().equals("/healthz")
                || ctx.path().startsWith(WebUi.ASSETS)) {
            return;
        }
        String presented = presented(ctx.header("Authorization"), ctx.queryParam("token"));
        if (presented == null || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new UnauthorizedResponse(presented == null
                    ? "This gateway requires a token: send 'Authorization: Bearer <token>' or add ?token=<token>."
                    : "The token is not valid for this gateway: check SPARKGATE_TOKEN and the token you sent.",
                    Map.of());
        }
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
