package dev.sparkgate.gateway.metrics;

import dev.sparkgate.gateway.api.ApiRoutes;
import dev.sparkgate.gateway.api.Operation;

/** {@code GET /metrics}: the exposition for Prometheus (the gateway's token, or the scrape token, guards it). */
public final class MetricsRoutes {

    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final GatewayMetrics metrics;

    public MetricsRoutes(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    public void register(ApiRoutes api) {
        api.get("/metrics", Operation.of("operate", "Metrics in Prometheus' text format (the token, or "
                + "SPARKGATE_METRICS_TOKEN)").produces("text/plain"),
                ctx -> ctx.contentType(TEXT_FORMAT).result(metrics.scrape()));
    }
}
