package dev.sparkgate.gateway.identity;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.PlainJWT;
import dev.sparkgate.gateway.jupyter.ChannelsClient;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.StreamClient;
import dev.sparkgate.jupyter.JupyterMessage;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several users on one gateway, each through their own way in (a users file with Basic or bearer tokens, OIDC, the
 * admin token): every session is its creator's; neither user sees nor drives the other's session through Livy's
 * API, the stream, the Kernel Gateway API and its channels, logs or the Spark UI; an admin sees both; a session
 * shared with a user to view is visible to them and no more; acting as another user is for admins and allowed
 * services; every refusal is a 403 or 401 that says why, and thousands of forged credentials get nothing else.
 * One gateway, with one Livy session of alice's and one kernel of bob's, serves every test.
 */
class UsersTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final RSAKey KEY = JwksServer.newKey("k1");
    private static final JwksServer ISSUER = new JwksServer().publish(KEY);
    private static final String ADMIN_TOKEN = "the-operators-token";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().with(Map.of(
            "SPARKGATE_TOKEN", ADMIN_TOKEN,
            "SPARKGATE_USERS_FILE", usersFile().toString(),
            "SPARKGATE_ADMIN_GROUPS", "ops",
            "SPARKGATE_IMPERSONATORS", "zeppelin",
            "SPARKGATE_OIDC_ISSUER", JwksServer.ISSUER,
            "SPARKGATE_OIDC_JWKS_URL", ISSUER.jwks().toString(),
            "SPARKGATE_OIDC_AUDIENCE", JwksServer.AUDIENCE));

    private static final ListAppender<ILoggingEvent> AUDIT = new ListAppender<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LivyClient alice;
    private static LivyClient bob;
    private static LivyClient carol;
    private static LivyClient dave;
    private static int aliceSession;
    private static String bobKernel;
    private static int bobSession;

    /** alice (team-a), bob (team-b), dave, carol (ops: the admins' group) and a Zeppelin server's identity. */
    private static Path usersFile() {
        try {
            Path file = Files.createTempFile("sparkgate-users", ".htpasswd");
            file.toFile().deleteOnExit();
            Files.write(file, List.of(UsersFileTest.htpasswd("alice", "alice-token") + ":team-a",
                    UsersFileTest.htpasswd("bob", "bob-token") + ":team-b",
                    UsersFileTest.htpasswd("carol", "carol-token") + ":ops",
                    UsersFileTest.htpasswd("dave", "dave-token"),
                    UsersFileTest.htpasswd("zeppelin", "zeppelin-token")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void aliceCreatesASessionSharedWithDaveAndBobStartsAKernel() {
        ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).addAppender(AUDIT);
        AUDIT.start();
        alice = gateway.livy("alice-token");
        bob = gateway.livy("bob-token");
        carol = gateway.livy("carol-token");
        dave = gateway.livy("dave-token");
        aliceSession = alice.createIdleSession(Map.of("kind", "sql", "viewUsers", List.of("dave")));
        LivyClient.Reply kernel = bob.post("/api/kernels", Map.of("name", "sparkgate_sql"));
        assertThat(kernel.status()).as("bob's kernel: %s", kernel.body()).isEqualTo(201);
        bobKernel = kernel.body().path("id").asText();
        bobSession = bob.get("/sessions/" + bobKernel).body().path("id").asInt();
        bob.awaitState(bobSession, "idle", START);
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.close();
        ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).detachAppender(AUDIT);
    }

    @Test
    void eachSessionIsItsCreatorsAndEachListHoldsOnlyWhatItsUserMaySee() {
        assertThat(alice.get("/sessions/" + aliceSession).body().path("owner").asText()).isEqualTo("alice");
        assertThat(bob.get("/sessions/" + bobSession).body().path("owner").asText()).isEqualTo("bob");

        assertThat(ids(alice)).contains(aliceSession).doesNotContain(bobSession);
        assertThat(ids(bob)).contains(bobSession).doesNotContain(aliceSession);
        assertThat(ids(carol)).as("an admin (group ops)").contains(aliceSession, bobSession);
        assertThat(ids(gateway.livy(ADMIN_TOKEN))).as("the operator's token").contains(aliceSession, bobSession);
        assertThat(ids(dave)).as("shared with dave to view").contains(aliceSession).doesNotContain(bobSession);
    }

    @Test
    void neitherUserSeesNorDrivesTheOthersSessionThroughLivysApi() {
        String bobs = "/sessions/" + bobSession;
        List<LivyClient.Reply> refused = List.of(alice.get(bobs), alice.get(bobs + "/state"), alice.get(bobs + "/log"),
                alice.get(bobs + "/statements"), alice.post(bobs + "/statements", Map.of("code", "SELECT 1")),
                alice.post(bobs + "/completion", Map.of("code", "SEL", "kind", "sql")),
                alice.post(bobs + "/statements/0/cancel", Map.of()), alice.delete(bobs),
                alice.get(bobs + "/ui/"), bob.post("/sessions/" + aliceSession + "/statements", Map.of("code", "SELECT 1")));

        assertThat(refused).allSatisfy(reply -> {
            assertThat(reply.status()).as("%s", reply.body()).isEqualTo(403);
            assertThat(reply.msg()).contains("not yours", "not shared with you");
        });
        assertThat(alice.get(bobs).msg()).contains("Session " + bobSession + " is bob's, not yours (alice)");
        assertThat(bob.get(bobs).status()).as("bob's session survived alice's delete").isEqualTo(200);
    }

    @Test
    void anAdminSeesAndDrivesEverySession() {
        JsonNode statement = carol.run(aliceSession, "sql", "SELECT 41 + 1 AS answer");

        assertThat(statement.path("output").path("status").asText()).isEqualTo("ok");
        assertThat(carol.get("/sessions/" + bobSession).status()).isEqualTo(200);
        assertThat(carol.get("/api/kernels").body().findValuesAsText("id")).contains(bobKernel);
    }

    @Test
    void aSessionSharedToViewIsVisibleToItsShareeButNotDrivenByThem() {
        String alices = "/sessions/" + aliceSession;

        LivyClient.Reply seen = dave.get(alices);
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.body().path("owner").asText()).isEqualTo("alice");
        assertThat(seen.body().path("sharing").path("viewUsers").toString()).as("the sharing, shown to its sharee")
                .isEqualTo("[\"dave\"]");
        assertThat(seen.body().path("sharing").path("modifyUsers").toString()).isEqualTo("[]");
        assertThat(dave.get(alices + "/statements").status()).isEqualTo(200);
        assertThat(dave.get(alices + "/log").status()).isEqualTo(200);
        LivyClient.Reply execute = dave.post(alices + "/statements", Map.of("code", "SELECT 1"));
        assertThat(execute.status()).isEqualTo(403);
        assertThat(execute.msg()).contains("shared with you (dave) to view only");
        assertThat(dave.delete(alices).status()).isEqualTo(403);
    }

    @Test
    void theStreamIsTheSessionsViewersToWatchAndItsOwnersToDrive() throws Exception {
        assertThat(upgradeStatus("/sessions/" + aliceSession + "/stream?token=bob-token")).isEqualTo(403);

        try (StreamClient owner = StreamClient.connect(gateway.baseUri(), aliceSession, "alice-token", 0);
             StreamClient viewer = StreamClient.connect(gateway.baseUri(), aliceSession, "dave-token", 0)) {
            int statement = owner.execute("sql", "SELECT 'from the stream' AS said");
            assertThat(owner.awaitFinished(statement, START).update()).isNotNull();
            viewer.await(update -> update instanceof StreamUpdate.Event e && e.event().statementId() == statement,
                    START);

            int request = viewer.nextRequestId();
            viewer.request(new StreamRequest.Execute(request, "SELECT 'from the viewer'", "sql"));
            StreamUpdate refused = viewer.await(update -> update instanceof StreamUpdate.Refused r
                    && r.requestId() == request, START).update();
            assertThat(((StreamUpdate.Refused) refused).status()).isEqualTo(403);
            assertThat(((StreamUpdate.Refused) refused).message()).contains("view only");
        }
    }

    @Test
    void aKernelIsItsStartersAndItsChannelsAreRefusedToOthers() throws Exception {
        assertThat(alice.get("/api/kernels").body().findValuesAsText("id")).doesNotContain(bobKernel);
        LivyClient.Reply peek = alice.get("/api/kernels/" + bobKernel);
        assertThat(peek.status()).isEqualTo(403);
        assertThat(peek.body().path("message").asText()).contains("Kernel " + bobKernel + " is bob's");
        assertThat(alice.post("/api/kernels/" + bobKernel + "/interrupt", Map.of()).status()).isEqualTo(403);
        assertThat(alice.delete("/api/kernels/" + bobKernel).status()).isEqualTo(403);
        assertThat(upgradeStatus("/api/kernels/" + bobKernel + "/channels?token=alice-token")).isEqualTo(403);

        try (ChannelsClient channels = ChannelsClient.connect(gateway.baseUri(), bobKernel, "bob-token")) {
            JupyterMessage execute = channels.execute("SELECT current_user() IS NOT NULL AS ran");
            channels.awaitIdle(execute, START);
            assertThat(channels.reply(execute).content()).containsEntry("status", "ok");
        }
    }

    @Test
    void actingAsAnotherUserIsForAdminsAndAllowedServicesOnly() {
        LivyClient.Reply proxied = alice.post("/sessions", Map.of("kind", "sql", "proxyUser", "bob"));
        LivyClient.Reply kernel = alice.post("/api/kernels", Map.of("name", "sparkgate_sql",
                "env", Map.of("KERNEL_USERNAME", "bob")));

        assertThat(proxied.status()).isEqualTo(403);
        assertThat(proxied.msg()).contains("'alice'", "'bob'", "proxyUser", "SPARKGATE_IMPERSONATORS");
        assertThat(kernel.status()).isEqualTo(403);
        assertThat(kernel.body().path("message").asText()).contains("KERNEL_USERNAME");
    }

    @Test
    void anAllowedServiceCreatesASessionForAUserWhoOwnsItWhileTheServiceStillDrivesIt() {
        LivyClient zeppelin = gateway.livy("zeppelin-token");
        LivyClient.Reply created = zeppelin.post("/sessions", Map.of("kind", "sql", "proxyUser", "alice"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        int id = created.body().path("id").asInt();
        try {
            assertThat(created.body().path("owner").asText()).isEqualTo("alice");
            assertThat(created.body().path("proxyUser").asText()).isEqualTo("alice");
            assertThat(alice.get("/sessions/" + id).status()).isEqualTo(200);
            assertThat(bob.get("/sessions/" + id).status()).isEqualTo(403);
        } finally {
            assertThat(zeppelin.delete("/sessions/" + id).status()).isEqualTo(200);
        }
    }

    @Test
    void basicAuthWithTheUsersTokenAsPasswordIsThatUserAsSparkmagicSendsIt() {
        HttpResponse<String> basic = send("/sessions/" + aliceSession, basic("alice", "alice-token"));
        HttpResponse<String> wrong = send("/sessions/" + aliceSession, basic("alice", "bob-token"));

        assertThat(basic.statusCode()).isEqualTo(200);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("not alice's");
    }

    @Test
    void anOidcUserIsWhoTheirTokenSaysAndSeesNothingOfOthers() {
        String token = JwksServer.sign(KEY, JwksServer.claims("erin", "team-e").build());
        LivyClient erin = gateway.livy(token);

        assertThat(erin.get("/sessions").status()).isEqualTo(200);
        assertThat(ids(erin)).doesNotContain(aliceSession, bobSession);
        assertThat(erin.get("/sessions/" + aliceSession).msg()).contains("not yours (erin)");
        HttpResponse<String> unsigned = send("/sessions", "Bearer "
                + new PlainJWT(JwksServer.claims("carol", "ops").build()).serialize());
        assertThat(unsigned.statusCode()).isEqualTo(401);
    }

    @Test
    void withoutCredentialsTheRefusalSaysWhatIsAccepted() {
        HttpResponse<String> none = send("/sessions", null);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().allValues("WWW-Authenticate")).singleElement().asString()
                .contains("Bearer", "Basic");
        assertThat(none.body()).contains("SPARKGATE_TOKEN", "users-file token", "OIDC token from " + JwksServer.ISSUER);
    }

    @Test
    void whatMattersIsAuditedWithWhoWhatAndTheOutcome() {
        alice.get("/sessions/" + bobSession);

        Await.until("the audit lines", Duration.ofSeconds(5), () -> audited("alice", "see", "denied"));
        assertThat(audited("alice", "create", "allowed")).isTrue();
        assertThat(audited("alice", "share", "allowed")).isTrue();
        assertThat(audited("bob", "create", "allowed")).as("bob's kernel").isTrue();
    }

    @Test
    void twoThousandForgedOrMalformedCredentialsGetOnly401Or403() {
        Random random = new Random(16);
        String valid = JwksServer.sign(KEY, JwksServer.claims("alice").build());
        List<String> paths = List.of("/sessions", "/sessions/" + aliceSession, "/sessions/" + aliceSession + "/log",
                "/sessions/" + aliceSession + "/ui/", "/api/kernels", "/api/kernels/" + bobKernel, "/version",
                "/metrics");
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String path = paths.get(i % paths.size());
            HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve(path))
                    .timeout(Duration.ofSeconds(30));
            String forged = forged(random, valid, i);
            switch (i % 4) {
                case 0, 1 -> request.header("Authorization", forged);
                case 2 -> request.header("Cookie", (i % 8 == 2 ? "sparkgate_token=" : "sparkgate_sign_in=")
                        + forged.replaceAll("[;,\\s\"]", "_"));
                default -> request = HttpRequest.newBuilder(gateway.baseUri().resolve(path + "?token="
                        + java.net.URLEncoder.encode(forged, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30));
            }
            int status = status(request.GET().build());
            if (status != 401 && status != 403) {
                statuses.add(status + " for " + path + " with " + forged);
            }
        }
        assertThat(statuses).as("answers other than 401 and 403").isEmpty();
    }

    /** A forged or malformed credential of one of many shapes, printable (what an HTTP client lets through). */
    private static String forged(Random random, String valid, int i) {
        String[] parts = valid.split("\\.");
        String noise = randomText(random, 1 + random.nextInt(120));
        return switch (i % 16) {
            case 0 -> "Bearer " + noise;
            case 1 -> "Basic " + noise;
            case 2 -> "Basic " + Base64.getEncoder().encodeToString(noise.getBytes(StandardCharsets.UTF_8));
            case 3 -> "Basic " + Base64.getEncoder().encodeToString(("alice:" + noise).getBytes(StandardCharsets.UTF_8));
            case 4 -> "Bearer " + parts[0] + "." + parts[1] + "." + noise.replaceAll("[^A-Za-z0-9]", "A");
            case 5 -> "Bearer " + parts[0] + "." + b64(noise) + "." + parts[2];
            case 6 -> "Bearer " + b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + parts[1] + ".";
            case 7 -> "Bearer " + b64("{\"alg\":\"HS256\",\"kid\":\"k1\"}") + "." + parts[1] + "." + parts[2];
            case 8 -> "Bearer " + b64("{\"alg\":\"RS256\",\"kid\":\"" + noise.replace("\"", "") + "\"}") + "."
                    + parts[1] + "." + parts[2];
            case 9 -> "token " + noise;
            case 10 -> noise;
            case 11 -> "Bearer";
            case 12 -> "Bearer " + "x".repeat(4000 + random.nextInt(2000));
            case 13 -> "Basic " + b64(":" + noise);
            case 14 -> "Bearer " + b64(noise) + "." + b64(noise) + "." + b64(noise);
            default -> "Digest username=\"alice\", response=\"" + noise.replace("\"", "") + "\"";
        };
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (0x21 + random.nextInt(0x7e - 0x21)));
        }
        return text.toString();
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean audited(String who, String action, String outcome) {
        return AUDIT.list.stream().anyMatch(event -> {
            Map<String, Object> fields = new java.util.HashMap<>();
            event.getKeyValuePairs().forEach(pair -> fields.put(pair.key, pair.value));
            return who.equals(fields.get("who")) && action.equals(fields.get("action"))
                    && outcome.equals(fields.get("outcome"));
        });
    }

    private static List<Integer> ids(LivyClient client) {
        LivyClient.Reply list = client.get("/sessions");
        assertThat(list.status()).isEqualTo(200);
        List<Integer> ids = new ArrayList<>();
        list.body().path("sessions").forEach(session -> ids.add(session.path("id").asInt()));
        return ids;
    }

    private static String basic(String user, String token) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int status(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status a WebSocket upgrade is refused with (or 101 when it is not). */
    private static int upgradeStatus(String pathAndQuery) throws Exception {
        URI uri = URI.create("ws://" + gateway.baseUri().getAuthority() + pathAndQuery);
        try {
            WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }
}
