package dev.sparkgate.gateway.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sparkgate.gateway.api.ApiRoutes;
import dev.sparkgate.gateway.api.Operation;
import dev.sparkgate.gateway.identity.AuditLog;
import dev.sparkgate.gateway.identity.BrowserSignIns;
import dev.sparkgate.gateway.identity.User;
import dev.sparkgate.protocol.Json;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The browser page's sign-in and sign-out, and who the page is signed in as. Signing in exchanges a token for the
 * {@link AccessGuard#SIGN_IN_COOKIE} cookie: {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (no other
 * site's page or link sends it: the page is a tool one opens, not a place other sites link into, and an arrival from
 * elsewhere costs nothing since the page asks its API, with the cookie, once loaded), {@code Secure} behind HTTPS.
 * The sign-in takes JSON only: a form on another site cannot send JSON without asking this gateway first (CORS),
 * which it never allows, so no other site can sign a browser in as someone else.
 */
public final class SignInRoutes {

    private final AccessGuard guard;

    public SignInRoutes(AccessGuard guard) {
        this.guard = guard;
    }

    /** {@code user}: for a users file's Basic sign-in, else absent; {@code token}: the token (or password). */
    public record SignInRequest(String token, String user) {
    }

    public void register(ApiRoutes api) {
        api.post(AccessGuard.SIGN_IN, Operation.of("page", "Signs the browser page in: a token for an HttpOnly "
                + "cookie, and the CSRF token its changes must carry"), this::signIn);
        api.post("/auth/sign-out", Operation.of("page", "Ends the page's sign-in").returns(204, null), this::signOut);
        api.get("/auth/me", Operation.of("page", "Who this request is signed in as, and the page's CSRF token"),
                ctx -> ctx.json(me(AccessGuard.user(ctx), AccessGuard.signInOf(ctx))));
    }

    private void signIn(Context ctx) {
        SignInRequest request = parse(ctx);
        BrowserSignIns.SignIn signIn;
        try {
            signIn = guard.signIn(ctx, request.user(), request.token());
        } catch (UnauthorizedResponse e) {
            AuditLog.record(User.NOBODY, "sign-in", null, AuditLog.Outcome.denied, e.getMessage());
            throw e;
        }
        AuditLog.record(signIn.user(), "sign-in", null, AuditLog.Outcome.allowed, null);
        ctx.header("Set-Cookie", cookie(ctx, signIn.id(), BrowserSignIns.LIFETIME.toSeconds()));
        ctx.json(me(signIn.user(), signIn));
    }

    private void signOut(Context ctx) {
        guard.signOut(ctx);
        AuditLog.record(AccessGuard.user(ctx), "sign-out", null, AuditLog.Outcome.allowed, null);
        ctx.header("Set-Cookie", cookie(ctx, "", 0));
        ctx.status(204);
    }

    private static SignInRequest parse(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new BadRequestResponse("Sign in with a JSON body, {\"token\": \"<your token>\"} (and \"user\" for a "
                    + "user name and password), sent as Content-Type: application/json.");
        }
        SignInRequest request;
        try {
            request = Json.MAPPER.readValue(ctx.body(), SignInRequest.class);
        } catch (JsonProcessingException e) {
            request = null;
        }
        if (request == null || request.token() == null || request.token().isBlank()) {
            throw new BadRequestResponse("Sign in with a JSON body that has your token: {\"token\": \"<your token>\"}.");
        }
        return request;
    }

    static Map<String, Object> me(User user, BrowserSignIns.SignIn signIn) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("user", user.name());
        me.put("groups", user.groups().stream().sorted().toList());
        me.put("admin", user.admin());
        me.put("csrfToken", signIn == null ? null : signIn.csrfToken());
        return me;
    }

    static String cookie(Context ctx, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return AccessGuard.SIGN_IN_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }
}
