package dev.sparkgate.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.testkit.OutsideTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's), started for one test class: it scrapes one gateway's {@code /metrics} every second
 * with the given bearer token, keeps its data under {@code dir}, listens on a free loopback port, and answers
 * PromQL through its HTTP API. Stopped (and waited for) on close.
 */
public final class PrometheusServer implements AutoCloseable {

    private final Process process;
    private final URI api;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, URI api, Path log) {
        this.process = process;
        this.api = api;
        this.log = log;
    }

    public static PrometheusServer scraping(URI gateway, String bearerToken, Path dir) throws IOException {
        OutsideTools.PROMETHEUS.require();
        Files.createDirectories(dir);
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "scrape_configs:",
                "  - job_name: sparkgate",
                "    metrics_path: /metrics",
                "    authorization:",
                "      credentials: " + bearerToken,
                "    static_configs:",
                "      - targets: ['" + gateway.getHost() + ":" + gateway.getPort() + "']",
                ""));
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
        Await.until("Prometheus ready on port " + port + " (its log: " + log + ")", Duration.ofSeconds(60),
                () -> process.isAlive() && server.status("/-/ready") == 200);
        return server;
    }

    /** The value of each series {@code promql} returns now, by its labels written as Prometheus writes them. */
    public Map<String, Double> query(String promql) {
        JsonNode body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        Map<String, Double> series = new TreeMap<>();
        for (JsonNode result : body.path("data").path("result")) {
            series.put(result.path("metric").toString(), result.path("value").path(1).asDouble());
        }
        return series;
    }

    /** The single value {@code promql} returns, or NaN while it returns nothing (not scraped yet). */
    public double value(String promql) {
        return query(promql).values().stream().findFirst().orElse(Double.NaN);
    }

    public Path log() {
        return log;
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(api.resolve(path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private JsonNode get(String path) {
        try {
            String body = http.send(HttpRequest.newBuilder(api.resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
