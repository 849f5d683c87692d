package dev.sparkgate.gateway.auth;

import dev.sparkgate.gateway.api.ApiRoutes;
import dev.sparkgate.gateway.api.Operation;
import dev.sparkgate.gateway.identity.AuditLog;
import dev.sparkgate.gateway.identity.BrowserSignIns;
import dev.sparkgate.gateway.identity.OidcSignIn;
import dev.sparkgate.gateway.identity.SignInRefused;
import dev.sparkgate.gateway.identity.User;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URI;
import java.util.Map;

/**
 * The page's "Sign in with" the OIDC issuer, as browser navigations: {@code /auth/oidc/start} sends the browser to
 * the issuer, binding the sign-in's state to this browser with the {@value #STATE_COOKIE} cookie; the issuer sends it
 * back to {@code /auth/oidc/callback}, which signs it in with the same cookie as the token sign-in and returns it to
 * the page. The state cookie is {@code SameSite=Lax} because the issuer's redirect is a top-level navigation from
 * another site, which {@code Strict} would strip; it lives for the sign-in only and names nothing but the state.
 * A failed sign-in is a small page with what went wrong and a way back, and sets no sign-in cookie.
 */
public final class OidcSignInRoutes {

    static final String STATE_COOKIE = "sparkgate_oidc_state";
    private static final String START = AccessGuard.OIDC_SIGN_IN + "start";
    private static final String CALLBACK = AccessGuard.OIDC_SIGN_IN + "callback";

    private final AccessGuard guard;

    public OidcSignInRoutes(AccessGuard guard) {
        this.guard = guard;
    }

    public void register(ApiRoutes api) {
        api.get(START, Operation.of("page", "Begins the page's OIDC sign-in: redirects the browser to the issuer "
                + "(?next=/sessions/ID to come back to a session)").produces("text/html"), this::start);
        api.get(CALLBACK, Operation.of("page", "Where the OIDC issuer returns the browser: signs it in and redirects "
                + "to the page").produces("text/html"), this::callback);
    }

    private void start(Context ctx) {
        OidcSignIn oidc = configured(ctx);
        if (oidc == null) {
            return;
        }
        OidcSignIn.Started started;
        try {
            started = oidc.start(ownCallback(ctx), ctx.queryParam("next"));
        } catch (SignInRefused e) {
            failed(ctx, e);
            return;
        }
        ctx.header("Set-Cookie", stateCookie(ctx, started.state(), OidcSignIn.PENDING_LIFETIME.toSeconds()));
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(started.authorization().toString(), HttpStatus.FOUND);
    }

    private void callback(Context ctx) {
        OidcSignIn oidc = configured(ctx);
        if (oidc == null) {
            return;
        }
        // The state is spent whatever happens next, so its cookie goes too.
        ctx.header("Set-Cookie", stateCookie(ctx, "", 0));
        OidcSignIn.Finished finished;
        try {
            finished = oidc.finish(ctx.queryParam("state"), ctx.cookie(STATE_COOKIE), ctx.queryParam("code"),
                    ctx.queryParam("error"), ctx.queryParam("error_description"));
        } catch (SignInRefused e) {
            failed(ctx, e);
            return;
        }
        BrowserSignIns.SignIn signIn = guard.signIn(finished.user());
        AuditLog.record(signIn.user(), "sign-in", null, AuditLog.Outcome.allowed, "oidc");
        ctx.res().addHeader("Set-Cookie", SignInRoutes.cookie(ctx, signIn.id(), BrowserSignIns.LIFETIME.toSeconds()));
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(finished.next(), HttpStatus.SEE_OTHER);
    }

    private OidcSignIn configured(Context ctx) {
        OidcSignIn oidc = guard.oidcSignIn().orElse(null);
        if (oidc == null) {
            ctx.status(404).json(Map.of("msg", "This gateway has no OIDC sign-in: the operator enables it with "
                    + "SPARKGATE_OIDC_CLIENT_ID (and SPARKGATE_OIDC_ISSUER). Sign in with a token instead."));
        }
        return oidc;
    }

    /** Where the issuer sends the browser back: this gateway's callback, on the address the browser used. */
    private static URI ownCallback(Context ctx) {
        String proto = ctx.header("X-Forwarded-Proto");
        String scheme = proto != null ? proto.strip() : ctx.scheme();
        return URI.create(scheme + "://" + ctx.host() + CALLBACK);
    }

    private static String stateCookie(Context ctx, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return STATE_COOKIE + "=" + value + "; Path=" + AccessGuard.OIDC_SIGN_IN + "; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Lax" + (https ? "; Secure" : "");
    }

    private static void failed(Context ctx, SignInRefused e) {
        AuditLog.record(User.NOBODY, "sign-in", null, AuditLog.Outcome.denied, "oidc: " + e.getMessage());
        ctx.status(e.status()).header("Cache-Control", "no-store").contentType("text/html; charset=utf-8")
                .result("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in failed · "
                        + "Sparkgate</title><link rel=\"stylesheet\" href=\"/ui/css/sparkgate.css\"></head><body>"
                        + "<main class=\"page\"><section class=\"panel sign-in\"><h2>Sign-in failed</h2>"
                        + "<p id=\"sign-in-error\" class=\"banner\" role=\"alert\">" + escape(e.getMessage())
                        + "</p><p><a href=\"/sessions\">Back to the sign-in page</a></p></section></main></body></html>");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
