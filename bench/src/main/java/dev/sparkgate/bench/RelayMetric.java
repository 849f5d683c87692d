package dev.sparkgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * Seconds the gateway has spent relaying, in and out, how many it relayed out, and its histogram's cumulative
     * counts per bucket bound (seconds) for each way, since it started.
     */
    record Sums(double inSeconds, double outSeconds, double outCount, Map<String, NavigableMap<Double, Double>> buckets) {

        /**
         * The bound of the first bucket holding the {@code q}-quantile of the relays {@code way} since {@code before},
         * as "≤ X ms": the histogram's buckets are all the precision there is.
         */
        String quantileSince(Sums before, String way, double q) {
            NavigableMap<Double, Double> now = buckets.get(way);
            NavigableMap<Double, Double> then = before.buckets.get(way);
            double total = now.lastEntry().getValue() - then.lastEntry().getValue();
            for (Map.Entry<Double, Double> bucket : now.entrySet()) {
                if (total > 0 && bucket.getValue() - then.getOrDefault(bucket.getKey(), 0.0) >= q * total) {
                    return bucket.getKey().isInfinite() ? "> " + millis(now.lowerKey(bucket.getKey()))
                            : "≤ " + millis(bucket.getKey());
                }
            }
            return "-";
        }

        private static String millis(double seconds) {
            return String.format("%.2f", seconds * 1000);
        }
    }

    Sums read() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + metrics + " answered " + response.statusCode()
                    + ": run the bench against a gateway without SPARKGATE_METRICS_TOKEN");
        }
        return new Sums(value(response.body(), "sum", "in"), value(response.body(), "sum", "out"),
                value(response.body(), "count", "out"),
                Map.of("in", buckets(response.body(), "in"), "out", buckets(response.body(), "out")));
    }

    private static NavigableMap<Double, Double> buckets(String exposition, String way) {
        Matcher bucket = Pattern.compile("^sparkgate_stream_relay_seconds_bucket\\{way=\"" + way
                + "\",le=\"([^\"]+)\"\\} (\\S+)$", Pattern.MULTILINE).matcher(exposition);
        NavigableMap<Double, Double> counts = new TreeMap<>();
        while (bucket.find()) {
            counts.put(bucket.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bucket.group(1)),
                    Double.parseDouble(bucket.group(2)));
        }
        return counts;
    }

    private static double value(String exposition, String series, String way) {
        String prefix = "sparkgate_stream_relay_seconds_" + series + "{way=\"" + way + "\"} ";
        return exposition.lines().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> Double.parseDouble(line.substring(prefix.length()).trim()))
                .orElseThrow(() -> new IllegalStateException("the gateway's /metrics has no " + prefix.trim()
                        + ": a gateway from before the relay metric"));
    }
}
