package dev.sparkgate.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JupyterHub's API tokens ({@code Authorization: token T}, or a bearer token), checked the way dask-gateway does: the
 * Hub is asked who the token belongs to ({@code GET {hub}/hub/api/user}), and its answer (name, groups, whether an
 * admin) is remembered for {@link #REMEMBER_FOR}, by the token's SHA-256, so a notebook's every request does not reach
 * the Hub. A token the Hub does not know is a refusal; a Hub that does not answer is one too (401 with the reason),
 * never the gateway's failure.
 */
public final class JupyterHubTokens implements Authenticator {

    static final Duration REMEMBER_FOR = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_REMEMBERED = 10_000;

    private record Known(User user, long until) {
    }

    private final URI hub;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public JupyterHubTokens(URI hub) {
        this.hub = URI.create(hub.toString().replaceAll("/+$", "") + "/hub/api/user");
    }

    @Override
    public Verdict authenticate(Credentials credentials) {
        if (!credentials.hasToken() || credentials.basicUser() != null) {
            return Verdict.PASS;
        }
        String key = TokenDigest.sha256(credentials.token());
        Known cached = known.get(key);
        long now = clock.millis();
        if (cached != null && cached.until() > now) {
            return cached.user() == null ? Verdict.PASS : new Verdict.Accepted(cached.user());
        }
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(hub).timeout(TIMEOUT)
                    .header("Authorization", "token " + credentials.token()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException e) {
            return new Verdict.Refused("the token cannot be sent to JupyterHub as a header (" + e.getMessage() + ")");
        } catch (IOException e) {
            return new Verdict.Unavailable("JupyterHub at " + hub + " could not be asked about the token (" + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict.Unavailable("the gateway was stopping while asking JupyterHub");
        }
        if (response.statusCode() >= 500) {
            // The Hub (or its proxy) failing is no answer about the token: not remembered, asked again next time.
            return new Verdict.Unavailable("JupyterHub at " + hub + " answered " + response.statusCode());
        }
        User user = response.statusCode() == 200 ? user(response.body()) : null;
        if (known.size() > MAX_REMEMBERED) {
            known.clear();
        }
        known.put(key, new Known(user, now + REMEMBER_FOR.toMillis()));
        return user == null ? Verdict.PASS : new Verdict.Accepted(user);
    }

    @Override
    public String accepts() {
        return "a JupyterHub API token as 'Authorization: token <token>'";
    }

    private static User user(String body) {
        try {
            JsonNode model = Json.MAPPER.readTree(body);
            String name = model.path("name").asText("");
            if (name.isBlank()) {
                return null;
            }
            Set<String> groups = new HashSet<>();
            model.path("groups").forEach(group -> groups.add(group.asText()));
            return new User(name, groups, model.path("admin").asBoolean(false), "jupyterhub");
        } catch (IOException e) {
            return null;
        }
    }
}
