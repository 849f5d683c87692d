package dev.sparkgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The gateway's {@code sparkgate_stream_relay_seconds_sum} for both ways, read from its {@code /metrics} (a gateway
 * without a scrape token serves it to anyone on the bench's machine).
 */
final class RelayMetric {

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI metrics;

    RelayMetric(URI metrics) {
        this.metrics = metrics;
    }

    /** Seconds the gateway has spent relaying, in and out, and how many it relayed out, since it started. */
    record Sums(double inSeconds, double outSeconds, double outCount) {
    }

    Sums read() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + metrics + " answered " + response.statusCode()
                    + ": run the bench against a gateway without SPARKGATE_METRICS_TOKEN");
        }
        return new Sums(value(response.body(), "sum", "in"), value(response.body(), "sum", "out"),
                value(response.body(), "count", "out"));
    }

    private static double value(String exposition, String series, String way) {
        String prefix = "sparkgate_stream_relay_seconds_" + series + "{way=\"" + way + "\"} ";
        return exposition.lines().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> Double.parseDouble(line.substring(prefix.length()).trim()))
                .orElseThrow(() -> new IllegalStateException("the gateway's /metrics has no " + prefix.trim()
                        + ": a gateway from before the relay metric"));
    }
}
