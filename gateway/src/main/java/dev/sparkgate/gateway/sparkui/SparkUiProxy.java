package dev.sparkgate.gateway.sparkui;

import dev.sparkgate.gateway.api.ApiRoutes;
import dev.sparkgate.gateway.api.Operation;
import dev.sparkgate.gateway.auth.AccessGuard;
import dev.sparkgate.gateway.errors.Unavailable;
import dev.sparkgate.gateway.identity.SessionAccess;
import dev.sparkgate.gateway.session.Session;
import dev.sparkgate.gateway.session.SessionManager;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A session's Spark UI through the gateway, at {@code /sessions/{id}/ui/}: a reverse proxy to the UI address the
 * driver reported over its link (a local driver's loopback port, a driver pod's IP), so a notebook user needs to
 * reach nothing but the gateway. Spark writes its links and redirects under this path because the session's conf
 * sets {@code spark.ui.proxyBase}; a redirect's absolute address at the driver is turned back into the gateway's.
 * Responses stream through as they come, never buffered whole (an event timeline or a big stage page can be large).
 * Access is the session's own: whoever may see the session ({@link SessionAccess}) may see its UI. A browser that opened the UI with
 * {@code ?token=T} gets the token as a cookie scoped to this session's UI path, since Spark's links cannot carry it.
 */
public final class SparkUiProxy {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a large stage page from a busy driver; a driver that takes longer is not answering. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of("Accept", "Accept-Language",
            "Accept-Encoding", "If-None-Match", "If-Modified-Since", "Range");
    /** Hop-by-hop headers (RFC 9110, 7.6.1), and what Jetty sets for our own response. */
    private static final Set<String> DROPPED_RESPONSE_HEADERS = Set.of("connection", "keep-alive",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "date",
            "server", "content-length", ":status");

    private final SessionManager sessions;
    private final SessionAccess access;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT).build();

    public SparkUiProxy(SessionManager sessions, SessionAccess access) {
        this.sessions = sessions;
        this.access = access;
    }

    public void register(ApiRoutes api) {
        Operation ui = Operation.of("operate", "The session's Spark UI, through the gateway (jobs, stages, storage, "
                + "SQL, executors); 409 while the session starts or after it ended").produces("text/html");
        // Javalin ignores trailing slashes: /ui and /ui/ both land here, on Spark's root (which redirects to jobs).
        api.get(Session.sparkUiPath(0).replace("/0/", "/{id}/"), ui, this::forward);
        api.get(Session.sparkUiPath(0).replace("/0/", "/{id}/") + "/<path>", ui, this::forward);
    }

    private void forward(Context ctx) throws IOException, InterruptedException {
        Session session = access.view(AccessGuard.user(ctx), sessions.get(ctx.pathParam("id")), "see the Spark UI of");
        URI driverUi = session.sparkUiTarget();
        String base = Session.sparkUiPath(session.id());
        // The raw path, as sent: Javalin's path parameter drops a trailing slash, which Spark's pages depend on.
        String rawPath = ctx.req().getRequestURI();
        String rest = rawPath.length() > base.length() ? rawPath.substring(rawPath.indexOf("/ui") + 3) : "";
        URI target = URI.create(driverUi.getScheme() + "://" + driverUi.getRawAuthority()
                + (rest.isEmpty() ? "/" : rest) + queryWithoutToken(ctx.queryString()));
        rememberToken(ctx, base);

        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(RESPONSE_TIMEOUT).GET();
        for (String name : FORWARDED_REQUEST_HEADERS) {
            String value = ctx.header(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Unavailable("Session " + session.id() + "'s Spark UI at " + driverUi + " does not answer ("
                    + e + "). If the session is idle, its driver may be overloaded; try again, or read its log at "
                    + "/sessions/" + session.id() + "/log.");
        }
        ctx.status(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (DROPPED_RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                return;
            }
            for (String value : values) {
                ctx.res().addHeader(name, name.equalsIgnoreCase("Location")
                        ? gatewayLocation(value, driverUi, base) : value);
            }
        });
        try (InputStream body = response.body()) {
            OutputStream out = ctx.res().getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                // Each chunk goes on as it arrives: nothing is held back for the whole page.
                out.flush();
            }
        }
    }

    /**
     * Spark's redirects name the driver's address, and some (its root to {@code /jobs/}, Jetty's added trailing
     * slash) leave out {@code spark.ui.proxyBase}: point each at the same page under the session's UI path here.
     */
    static String gatewayLocation(String location, URI driverUi, String base) {
        URI uri = URI.create(location);
        boolean atDriver = uri.getRawAuthority() == null
                || uri.getRawAuthority().equalsIgnoreCase(driverUi.getRawAuthority());
        if (!atDriver || uri.getRawPath() == null) {
            return location;
        }
        String path = uri.getRawPath().startsWith(base + "/") ? uri.getRawPath() : base + uri.getRawPath();
        return path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The gateway's token is for the gateway: it never goes on to the driver. */
    static String queryWithoutToken(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        String kept = Arrays.stream(query.split("&")).filter(p -> !p.equals("token") && !p.startsWith("token="))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? "" : "?" + kept;
    }

    private static void rememberToken(Context ctx, String base) {
        String token = ctx.queryParam("token");
        if (token != null) {
            ctx.cookie(new Cookie(AccessGuard.UI_COOKIE, token, base, -1, ctx.scheme().equals("https"), 0, true, null,
                    null, SameSite.STRICT));
        }
    }
}
