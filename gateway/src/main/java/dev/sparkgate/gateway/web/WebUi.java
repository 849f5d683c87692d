package dev.sparkgate.gateway.web;

import dev.sparkgate.gateway.api.ApiRoutes;
import dev.sparkgate.gateway.api.Operation;
import dev.sparkgate.protocol.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browser REPL (module {@code web}): its two pages on the API's own addresses, {@code /sessions} and
 * {@code /sessions/{id}}, for browsers only, and its static files under {@code /ui/}.
 *
 * <p>The pages are served by before-handlers that answer and skip the rest, so Livy's routes stay exactly as they
 * are and never learn that a page exists: a request the page does not claim (see {@link Negotiation}) goes on to
 * them untouched. The token check runs before these handlers, so a page needs the token like the API does
 * ({@code ?token=T}); the static files do not, because a page cannot put a token on its module imports, and they
 * hold nothing but code that is public anyway.
 */
public final class WebUi {

    /** Where the static files are served; the token check lets this prefix through. */
    public static final String ASSETS = "/ui/";
    /** Where a page's settings go: the page reads them from this JSON script element rather than asking again. */
    private static final String CONFIG_PLACEHOLDER = "{{sparkgate-config}}";
    /**
     * The pages run only our own scripts and load from and talk to this gateway only, whatever HTML a session's output
     * holds. Inline styles are allowed because the browser's HTML parser meets them in output HTML before our
     * sanitizer drops them (and would log each as a violation); with nothing loadable from elsewhere, a style can
     * neither run code nor send data away.
     */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'";

    private final WebAssets assets = new WebAssets();
    private final String pageConfig;

    /**
     * {@code executorsOnCluster}: whether sessions' executors run on Kubernetes; {@code executorImage}: the operator's
     * default image for them, or null; {@code oidcIssuer}: the issuer of the page's "Sign in with" button, or null
     * for none.
     */
    public WebUi(boolean executorsOnCluster, String executorImage, String oidcIssuer) {
        Map<String, Object> settings = new LinkedHashMap<>();
        // The create form asks for executors, image and resources only where there are executors to ask for.
        settings.put("kubernetes", executorsOnCluster);
        settings.put("executorImage", executorImage);
        settings.put("oidcSignIn", oidcIssuer);
        // Inside <script type="application/json">: no "</script>" may appear, so every '<' is escaped.
        this.pageConfig = Json.write(settings).replace("<", "\\u003c");
    }

    public void register(Javalin app, ApiRoutes api) {
        app.before("/sessions", ctx -> page(ctx, "sessions.html"));
        app.before("/sessions/{id}", ctx -> page(ctx, "session.html"));
        api.get(ASSETS + "<path>", Operation.of("page", "The browser page's static files (no token needed)")
                .produces("application/octet-stream"), this::asset);
    }

    private void page(Context ctx, String file) {
        if (ctx.method() != HandlerType.GET) {
            return;
        }
        // One address, two representations: caches must keep them apart.
        ctx.header("Vary", "Accept");
        if (!Negotiation.wantsPage(ctx.header("Accept"))) {
            return;
        }
        ctx.header("Cache-Control", "no-store")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .contentType("text/html; charset=utf-8")
                .result(assets.require(file).text().replace(CONFIG_PLACEHOLDER, pageConfig));
        ctx.skipRemainingHandlers();
    }

    private void asset(Context ctx) {
        WebAssets.Asset asset = assets.find(ctx.pathParam("path")).orElse(null);
        if (asset == null) {
            ctx.status(404).json(Map.of("msg", "No such file in the web UI: " + ctx.path()));
            return;
        }
        // Revalidated on every load, so a new gateway's page never runs against an old script.
        ctx.header("Cache-Control", "no-cache").header("ETag", asset.etag()).header("X-Content-Type-Options", "nosniff");
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }
}
