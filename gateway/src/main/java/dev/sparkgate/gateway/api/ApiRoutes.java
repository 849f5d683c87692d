package dev.sparkgate.gateway.api;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one table of the gateway's HTTP routes: each is registered with Javalin and described in the same call, and
 * {@code /openapi.json} is rendered from this table, so the description cannot drift from the routes.
 * {@link #undescribed()} names any route registered with Javalin around this table, and a test fails on it.
 */
public final class ApiRoutes {

    private final Javalin app;
    private final List<ApiRoute> routes = Collections.synchronizedList(new ArrayList<>());

    public ApiRoutes(Javalin app) {
        this.app = app;
    }

    public ApiRoutes get(String path, Operation operation, Handler handler) {
        return add(HandlerType.GET, path, operation, handler);
    }

    public ApiRoutes post(String path, Operation operation, Handler handler) {
        return add(HandlerType.POST, path, operation, handler);
    }

    public ApiRoutes delete(String path, Operation operation, Handler handler) {
        return add(HandlerType.DELETE, path, operation, handler);
    }

    /** Describes a WebSocket its endpoint registers ({@code app.ws}); its messages are documented where it says. */
    public ApiRoutes webSocket(String path, Operation operation) {
        routes.add(new ApiRoute("get", path, true, operation));
        return this;
    }

    private ApiRoutes add(HandlerType method, String path, Operation operation, Handler handler) {
        app.addHttpHandler(method, path, handler);
        routes.add(new ApiRoute(method.name().toLowerCase(Locale.ROOT), path, false, operation));
        return this;
    }

    public List<ApiRoute> routes() {
        synchronized (routes) {
            return List.copyOf(routes);
        }
    }

    /** Javalin's HTTP routes that this table does not describe, as {@code "GET /path"}; before-handlers aside. */
    public List<String> undescribed() {
        Set<String> described = routes().stream().filter(r -> !r.webSocket())
                .map(r -> r.method().toUpperCase(Locale.ROOT) + " " + r.path()).collect(Collectors.toSet());
        List<ParsedEndpoint> registered = app.unsafeConfig().pvt.internalRouter.allHttpHandlers();
        return registered.stream().map(ParsedEndpoint::getEndpoint)
                .filter(e -> e.getMethod().isHttpMethod())
                .map(e -> e.getMethod().name() + " " + e.getPath())
                .filter(route -> !described.contains(route)).sorted().toList();
    }
}
