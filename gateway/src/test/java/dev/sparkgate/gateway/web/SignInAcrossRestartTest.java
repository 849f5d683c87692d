package dev.sparkgate.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayProcess;
import dev.sparkgate.gateway.testing.TestUsers;
import dev.sparkgate.protocol.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's sign-ins outlive the gateway: a browser signed in before a {@code kill -9} is still signed in, as the
 * same user with the same CSRF token, on the gateway started again on the same work directory; one that signed out
 * stays signed out. The records on disk are 0600 and hold no cookie value. No driver starts.
 */
class SignInAcrossRestartTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aSignInSurvivesARestartAndASignOutStaysSignedOut() throws Exception {
        Path work = GatewayProcess.freshWorkDir("sign-ins");
        int port = GatewayProcess.freePort();
        Map<String, String> env = Map.of("SPARKGATE_USERS_FILE",
                TestUsers.file("alice:alice-token:team-a", "bob:bob-token:team-b").toString());
        GatewayProcess first = GatewayProcess.start(work, port, env, work.resolve("first.log"));
        GatewayProcess second = null;
        try {
            // given: alice signed in, and bob signed in and then out, on the first gateway
            URI base = first.baseUri();
            SignedIn alice = signIn(base, "alice-token");
            SignedIn bob = signIn(base, "bob-token");
            assertThat(send(base, "/auth/sign-out", bob.cookie(), bob.csrf(), "POST").statusCode()).isEqualTo(204);
            assertThat(send(base, "/auth/me", bob.cookie(), null, "GET").statusCode()).isEqualTo(401);

            // when: the gateway is killed (kill -9) and started again on the same work directory
            first.kill();
            second = GatewayProcess.start(work, port, env, work.resolve("second.log"));

            // then: alice is still signed in, as herself, with the same CSRF token, which changes are still checked by
            HttpResponse<String> me = send(base, "/auth/me", alice.cookie(), null, "GET");
            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            JsonNode who = Json.MAPPER.readTree(me.body());
            assertThat(who.path("user").asText()).isEqualTo("alice");
            assertThat(who.path("groups")).extracting(JsonNode::asText).containsExactly("team-a");
            assertThat(who.path("csrfToken").asText()).isEqualTo(alice.csrf());
            assertThat(send(base, "/sessions/4242", alice.cookie(), "wrong", "DELETE").statusCode())
                    .as("a change with the wrong CSRF token").isEqualTo(403);
            assertThat(send(base, "/sessions/4242", alice.cookie(), alice.csrf(), "DELETE").statusCode())
                    .as("a change with hers reaches the route: no such session").isEqualTo(404);
            // and: bob, who signed out, is still signed out
            HttpResponse<String> bobAfter = send(base, "/auth/me", bob.cookie(), null, "GET");
            assertThat(bobAfter.statusCode()).isEqualTo(401);
            assertThat(bobAfter.body()).contains("sign in again");
            // and: what is kept is one 0600 record, named by a digest, holding neither cookie's value
            List<Path> records;
            try (Stream<Path> files = Files.list(work.resolve("sign-ins"))) {
                records = files.toList();
            }
            assertThat(records).hasSize(1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(records.get(0))))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(records.get(0))).contains("alice")
                    .doesNotContain(value(alice.cookie()), value(bob.cookie()), "alice-token");
            assertThat(records.get(0).getFileName().toString()).doesNotContain(value(alice.cookie()));
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    private record SignedIn(String cookie, String csrf) {
    }

    private static SignedIn signIn(URI base, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/auth/sign-in"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return new SignedIn(setCookie.substring(0, setCookie.indexOf(';')),
                Json.MAPPER.readTree(response.body()).path("csrfToken").asText());
    }

    private static HttpResponse<String> send(URI base, String path, String cookie, String csrf, String method)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Cookie", cookie).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (csrf != null) {
            request.header("X-Sparkgate-CSRF", csrf);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String value(String cookie) {
        return cookie.substring(cookie.indexOf('=') + 1);
    }
}
