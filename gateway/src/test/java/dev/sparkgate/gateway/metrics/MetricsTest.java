package dev.sparkgate.gateway.metrics;

import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.PrometheusServer;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus scrapes the gateway (with the operator's scrape token) while sessions start, run statements and
 * fail; what it stored, asked through its HTTP API, is what happened. promtool accepts the exposition.
 */
class MetricsTest {

    private static final String SCRAPE_TOKEN = "scrape-only-token";
    private static final Duration SCRAPED = Duration.ofSeconds(60);

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.sql)
            .with("SPARKGATE_METRICS_TOKEN", SCRAPE_TOKEN).requires(OutsideTools.PROMETHEUS);

    private static PrometheusServer prometheus;

    @BeforeAll
    static void startPrometheus() throws Exception {
        prometheus = PrometheusServer.scraping(gateway.baseUri(), SCRAPE_TOKEN,
                Path.of(System.getProperty("sparkgate.test.work", "target/test-work"), "prometheus-" + System.nanoTime())
                        .toAbsolutePath());
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void prometheusSeesSessionsStartRunAndFail() {
        LivyClient livy = gateway.livy();
        int session = gateway.session();

        // given one session started (the fixture's), when it runs a good and a bad statement ...
        livy.run(session, "sql", "SELECT 1 AS one");
        livy.run(session, "sql", "SELECT * FROM no_such_table");
        // ... and a session whose Spark cannot start (an executor memory Spark cannot read)
        int broken = livy.post("/sessions", Map.of("kind", "sql", "conf", Map.of("spark.executor.memory", "lots")))
                .body().path("id").asInt();
        livy.awaitState(broken, "error", Duration.ofSeconds(180));

        // then Prometheus, scraping with the scrape token, has stored each of these
        await("the scrape target is up", "up{job=\"sparkgate\"}", 1);
        await("one cold start", "sparkgate_session_start_seconds_count{start=\"cold\"}", 1);
        await("one SQL statement ok", "sparkgate_statement_duration_seconds_count{kind=\"sql\",outcome=\"ok\"}", 1);
        await("one SQL statement failed",
                "sparkgate_statement_duration_seconds_count{kind=\"sql\",outcome=\"error\"}", 1);
        await("one driver that could not start Spark", "sparkgate_driver_exits_total{cause=\"start_failed\"}", 1);
        await("the idle SQL session", "sparkgate_sessions{state=\"idle\",kind=\"sql\",placement=\"local\","
                + "runtime=\"3.5\"}", 1);
        await("the session in error", "sparkgate_sessions{state=\"error\"}", 1);
        await("no driver killed", "sum(sparkgate_driver_exits_total{cause=\"killed\"})", 0);
        await("a start histogram with buckets", "count(sparkgate_session_start_seconds_bucket)", 14);
        await("the statements' driver messages relayed to clients, timed",
                "count(sparkgate_stream_relay_seconds_count{way=\"out\"} > 0)", 1);
        assertThat(prometheus.query("count by (__name__) ({__name__=~\"jvm_memory_used_bytes|jetty_threads_current\"})"))
                .as("JVM and Jetty metrics are scraped too").hasSize(2);
        assertThat(prometheus.query("sparkgate_sessions")).as("no label carries a session id or user")
                .allSatisfy((labels, value) -> assertThat(labels).doesNotContain("\"id\"", "\"session\"", "\"user\""));
    }

    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        String exposition = metrics(SCRAPE_TOKEN).body();
        Path file = Files.writeString(Files.createTempFile(Path.of("target"), "metrics", ".txt"), exposition);

        Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true)
                .redirectInput(file.toFile()).start();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();

        assertThat(promtool.exitValue()).as("promtool check metrics says: %s", verdict).isZero();
        assertThat(exposition).contains("sparkgate_driver_exits_total{cause=\"oom\"} 0.0",
                "sparkgate_session_recoveries_total 0.0", "sparkgate_admission_refusals_total 0.0",
                "sparkgate_stream_clients ", "sparkgate_stream_relay_seconds_count{way=\"in\"}",
                "sparkgate_stream_relay_seconds_bucket{way=\"out\",le=\"1.0E-4\"}");
    }

    @Test
    void metricsWantTheScrapeTokenEvenWhereTheApiIsOpen() throws Exception {
        assertThat(metrics(null).statusCode()).as("no token").isEqualTo(401);
        assertThat(metrics("wrong").statusCode()).as("a wrong token").isEqualTo(401);
        assertThat(metrics(SCRAPE_TOKEN).headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(gateway.livy().get("/sessions").status()).as("the rest of this gateway has no token").isEqualTo(200);
    }

    private static HttpResponse<String> metrics(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve("/metrics"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, String promql, double expected) {
        Await.value(what + " (" + promql + "; Prometheus log: " + prometheus.log() + ")", SCRAPED,
                Duration.ofSeconds(1), () -> prometheus.value(promql), value -> value == expected);
    }
}
