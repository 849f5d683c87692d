package dev.sparkgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The gateway's Livy API as the benchmarks use it: JSON in and out, no token. */
final class GatewayHttp {

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    GatewayHttp(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** Creates a session of {@code kind} and returns its id once it is idle. */
    int createIdleSession(String kind, Duration timeout) throws Exception {
        int id = post("/sessions", Json.write(Map.of("kind", kind))).path("id").asInt();
        awaitState(id, "idle", timeout);
        return id;
    }

    void awaitState(int session, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String now = get("/sessions/" + session).path("state").asText();
            if (now.equals(state)) {
                return;
            }
            if (System.nanoTime() > deadline || now.equals("dead") || now.equals("error")) {
                throw new IllegalStateException("session " + session + " is " + now + ", not " + state);
            }
            Thread.sleep(20);
        }
    }

    /** Runs a statement through REST and returns it when it is available. */
    JsonNode run(int session, String kind, String code, Duration timeout) throws Exception {
        int id = post("/sessions/" + session + "/statements", Json.write(Map.of("kind", kind, "code", code)))
                .path("id").asInt();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode statement = get("/sessions/" + session + "/statements/" + id);
            if (statement.path("state").asText().equals("available")) {
                return statement;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("statement " + id + " of session " + session + " did not finish");
            }
            Thread.sleep(50);
        }
    }

    JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    void delete(String path) throws Exception {
        send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    private JsonNode send(HttpRequest.Builder request) throws Exception {
        return Json.MAPPER.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}
