package dev.sparkgate.gateway.identity;

import com.sun.net.httpserver.HttpServer;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} is the operator's: an administrator or the scrape token, not any user. And when the JupyterHub
 * that checks tokens cannot be asked (its proxy answers 502, or nothing listens), a token no other way accepts is
 * 503 "could not be checked", to be retried, never 401 "wrong token"; users of other ways in go on. One gateway, no
 * driver.
 */
class OperatorOnlyAndHubOutageTest {

    private static final String ADMIN_TOKEN = "the-operators-token";
    private static final String SCRAPE_TOKEN = "the-scrapers-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Stands where the Hub would be, answering as a Hub's proxy does while the Hub is down. */
    private static final HttpServer HUB = failingHub();

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().with(Map.of(
            "SPARKGATE_TOKEN", ADMIN_TOKEN,
            "SPARKGATE_METRICS_TOKEN", SCRAPE_TOKEN,
            "SPARKGATE_USERS_FILE", TestUsers.file("alice:alice-token:team-a").toString(),
            "SPARKGATE_JUPYTERHUB_URL", "http://127.0.0.1:" + HUB.getAddress().getPort()));

    private static HttpServer failingHub() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(502, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    @AfterAll
    static void stopHub() {
        HUB.stop(0);
    }

    @Test
    void metricsAreForAdministratorsAndTheScrapeTokenOnly() throws Exception {
        HttpResponse<String> alice = get("/metrics", "alice-token");
        assertThat(alice.statusCode()).isEqualTo(403);
        assertThat(alice.body()).contains("administrators", "SPARKGATE_METRICS_TOKEN", "alice");

        assertThat(get("/metrics", ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", SCRAPE_TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/sessions", "alice-token").statusCode()).as("alice's own API").isEqualTo(200);
    }

    @Test
    void aTokenTheDownHubCannotCheckIs503AndOtherUsersGoOn() throws Exception {
        HttpResponse<String> hubFailing = get("/sessions", "a-hub-token");
        assertThat(hubFailing.statusCode()).as(hubFailing.body()).isEqualTo(503);
        assertThat(hubFailing.body()).contains("could not be checked", "JupyterHub", "502");
        assertThat(hubFailing.headers().firstValue("Retry-After")).hasValue("5");

        HUB.stop(0);
        HttpResponse<String> nobodyListening = get("/sessions", "a-hub-token");
        assertThat(nobodyListening.statusCode()).as(nobodyListening.body()).isEqualTo(503);
        assertThat(nobodyListening.body()).contains("could not be checked", "JupyterHub");

        assertThat(get("/sessions", "alice-token").statusCode()).as("a users-file user, meanwhile").isEqualTo(200);
        assertThat(get("/sessions", null).statusCode()).as("no credentials at all").isEqualTo(401);
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
