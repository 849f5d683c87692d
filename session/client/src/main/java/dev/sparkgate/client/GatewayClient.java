package dev.sparkgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.SessionView;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A client of one Sparkgate gateway, for notebook front ends, benchmarks and tests: sessions over REST, statements over
 * the session's stream ({@link SessionStream}). Every failure becomes a {@link GatewayException} whose message a
 * notebook user can act on.
 */
public final class GatewayClient {

    private final URI base;
    private final String token;
    private final RetryPolicy retry;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public GatewayClient(URI base, String token) {
        this(base, token, RetryPolicy.DEFAULT);
    }

    /** A client whose streams resume after a drop as {@code retry} says. */
    public GatewayClient(URI base, String token, RetryPolicy retry) {
        this.base = base;
        this.token = token == null || token.isBlank() ? null : token;
        this.retry = retry;
    }

    public URI base() {
        return base;
    }

    /** Creates a session from a Livy create request ({@code kind}, {@code name}, {@code conf}, ...). */
    public SessionView createSession(Map<String, Object> request) {
        return Json.MAPPER.convertValue(send("POST", "/sessions", Json.write(request)), SessionView.class);
    }

    public SessionView session(String idOrName) {
        return Json.MAPPER.convertValue(send("GET", "/sessions/" + idOrName, null), SessionView.class);
    }

    /** The session if it exists; null on 404. */
    public SessionView findSession(String idOrName) {
        try {
            return session(idOrName);
        } catch (GatewayException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    public void deleteSession(int id) {
        send("DELETE", "/sessions/" + id, null);
    }

    /**
     * Opens the session's stream ({@link SessionStream}): from the next event on, resumed after a drop as this
     * client's {@link RetryPolicy} says. Wait for the session to start with {@link SessionStream#awaitActive}.
     */
    public SessionStream openStream(int sessionId) {
        String scheme = base.getScheme().equals("https") ? "wss" : "ws";
        String stream = scheme + "://" + base.getAuthority() + base.getPath().replaceAll("/$", "")
                + "/sessions/" + sessionId + "/stream";
        return SessionStream.open(this, sessionId,
                since -> URI.create(stream + "?since=" + since + (token == null ? "" : "&token=" + token)), retry);
    }

    /** Submits a statement over Livy's REST API and returns its id (for clients that measure or mimic Livy's). */
    public int submitStatement(int sessionId, String kind, String code) {
        return send("POST", "/sessions/" + sessionId + "/statements", Json.write(Map.of("kind", kind, "code", code)))
                .path("id").asInt();
    }

    /** A statement's Livy state ({@code waiting}, {@code running}, {@code available}, ...), over REST. */
    public String statementState(int sessionId, int statementId) {
        return send("GET", "/sessions/" + sessionId + "/statements/" + statementId, null).path("state").asText();
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new GatewayException("Cannot reach the Sparkgate gateway at " + base
                    + ": is it running, and is the URL right?", e);
        } catch (IOException e) {
            throw new GatewayException("The Sparkgate gateway at " + base + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("Interrupted while talking to the gateway", e);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() == 401) {
            throw new GatewayException(401, "The Sparkgate gateway at " + base + " refused the token"
                    + (token == null ? " (none was configured)" : "") + ": " + json.path("msg").asText());
        }
        if (response.statusCode() >= 400) {
            throw new GatewayException(response.statusCode(), json.path("msg").asText(response.body()));
        }
        return json;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(body);
        }
    }
}
