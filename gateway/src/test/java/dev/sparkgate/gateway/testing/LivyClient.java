package dev.sparkgate.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A Livy REST client as sparkmagic uses it: plain HTTP and JSON. */
public final class LivyClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String token;

    public LivyClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public record Reply(int status, JsonNode body, Map<String, java.util.List<String>> headers) {
        public String msg() {
            return body.path("msg").asText();
        }
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    public Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply post(String path, Object body) {
        return post(path, Json.write(body));
    }

    public Reply delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(response.body());
            return new Reply(response.statusCode(), body, response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a session and waits until it is idle; returns its id. */
    public int createIdleSession(Map<String, Object> request) {
        Reply created = post("/sessions", request);
        if (created.status() != 201) {
            throw new AssertionError("session not created: " + created);
        }
        int id = created.body().path("id").asInt();
        awaitState(id, "idle", Duration.ofSeconds(120));
        return id;
    }

    public JsonNode awaitState(int sessionId, String state, Duration timeout) {
        return Await.value("session " + sessionId + " " + state, timeout, Duration.ofMillis(200),
                () -> get("/sessions/" + sessionId).body(), session -> state.equals(session.path("state").asText()));
    }

    /** Submits a statement and polls until it is available or cancelled; returns the final statement JSON. */
    public JsonNode run(int sessionId, String kind, String code) {
        Reply submitted = post("/sessions/" + sessionId + "/statements",
                kind == null ? Map.of("code", code) : Map.of("code", code, "kind", kind));
        if (submitted.status() != 201) {
            throw new AssertionError("statement refused: " + submitted);
        }
        return awaitStatement(sessionId, submitted.body().path("id").asInt(), Duration.ofSeconds(120));
    }

    public JsonNode awaitStatement(int sessionId, int statementId, Duration timeout) {
        return Await.value("statement " + statementId + " of session " + sessionId + " finished", timeout,
                Duration.ofMillis(50), () -> get("/sessions/" + sessionId + "/statements/" + statementId).body(),
                statement -> statement.path("state").asText().matches("available|cancelled"));
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
