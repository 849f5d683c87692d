package dev.sparkgate.gateway.health;

import dev.sparkgate.gateway.api.ApiRoutes;
import dev.sparkgate.gateway.api.Operation;
import io.javalin.http.Context;

import java.util.Map;

/**
 * {@code /healthz} (alive: the server answers) and {@code /readyz} (ready: every {@link Readiness} check passes;
 * 503 with the failing check's reason otherwise). Both are open without the token, for probes that cannot carry one,
 * and say nothing about sessions.
 */
public final class HealthRoutes {

    public static final String LIVE = "/healthz";
    public static final String READY = "/readyz";

    private final Readiness readiness;

    public HealthRoutes(Readiness readiness) {
        this.readiness = readiness;
    }

    public void register(ApiRoutes api) {
        api.get(LIVE, Operation.of("operate", "Alive: the gateway serves (no token needed)").returns("Health"),
                ctx -> ctx.json(Map.of("status", "ok")));
        api.get(READY, Operation.of("operate", "Ready: the Kubernetes API reachable when configured, recovery done; "
                + "503 naming what is not (no token needed)").returns("Health"), this::ready);
    }

    private void ready(Context ctx) {
        Map<String, String> results = readiness.results();
        boolean ready = results.values().stream().allMatch("ok"::equals);
        ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ok" : "unavailable", "checks", results));
    }
}
