package dev.sparkgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.StreamClient;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.StreamUpdate;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With SPARKGATE_TOKEN set, every route wants it; drivers prove themselves with their session's secret; and user code,
 * which runs in the driver, sees neither the gateway's token nor any session's secret.
 *
 * <p>The gateway's JVM here has the token (and a cloud key) in its process environment, as a gateway started with
 * {@code SPARKGATE_TOKEN=... java -jar} has: the build's surefire configuration sets them.
 */
class TokenAuthTest {

    private static final String TOKEN = "s3cret-token";
    private static final String CLOUD_KEY = "AWS_SECRET_ACCESS_KEY";
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.shared).withPlainPython().token(TOKEN);

    @Test
    void withoutTheTokenEveryRouteIsRefused() {
        LivyClient anonymous = gateway.livy(null);

        assertThat(anonymous.get("/version").status()).isEqualTo(401);
        assertThat(anonymous.get("/sessions").msg()).contains("requires a token");
        assertThat(gateway.livy("wrong").get("/sessions").msg()).contains("not valid");
        assertThat(anonymous.post("/sessions", Map.of("kind", "sql")).status()).isEqualTo(401);
        assertThat(anonymous.get("/healthz").status()).as("probes carry no token").isEqualTo(200);
    }

    @Test
    void bearerJupyterAndQueryTokensAreAccepted() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = gateway.baseUri();

        int bearer = gateway.livy(TOKEN).get("/sessions").status();
        int jupyter = http.send(HttpRequest.newBuilder(base.resolve("/sessions"))
                .header("Authorization", "token " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        int query = http.send(HttpRequest.newBuilder(base.resolve("/sessions?token=" + TOKEN)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();

        assertThat(bearer).isEqualTo(200);
        assertThat(jupyter).isEqualTo(200);
        assertThat(query).isEqualTo(200);
    }

    @Test
    void theStreamNeedsTheTokenAndDriversNeedTheirSecret() throws Exception {
        LivyClient livy = gateway.livy(TOKEN);
        int session = gateway.session();
        URI base = gateway.baseUri();

        try (StreamClient stream = StreamClient.connect(base, session, TOKEN, 0)) {
            assertThat(stream.await(u -> u instanceof StreamUpdate.Session, Duration.ofSeconds(5))).isNotNull();
        }
        assertThat(handshakeSucceeds(URI.create("ws://" + base.getHost() + ":" + base.getPort()
                + "/sessions/" + session + "/stream"), Map.of())).isFalse();
        assertThat(handshakeSucceeds(URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/driver/" + session),
                Map.of("Authorization", "Bearer " + TOKEN))).isFalse();
        assertThat(livy.run(session, "sql", "SELECT 1").path("output").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void userCodeFindsNeitherTheGatewaysTokenNorAnySessionSecretInItsEnvironment() throws Exception {
        // given a gateway whose own environment holds its token and a cloud key
        assertThat(System.getenv("SPARKGATE_TOKEN")).as("the gateway's process environment holds its token").isEqualTo(TOKEN);
        assertThat(System.getenv(CLOUD_KEY)).as("the gateway's process environment holds a cloud key").isNotBlank();
        LivyClient livy = gateway.livy(TOKEN);
        int session = gateway.session();
        String secret = Files.readString(secretFile(session));

        // when a Scala cell and a Python cell print their whole environment
        String scala = output(livy.run(session, "spark",
                "println(sys.env.toSeq.sorted.map { case (k, v) => k + \"=\" + v }.mkString(\"\\n\"))"));
        String python = output(livy.run(session, "pyspark",
                "import os\nprint('\\n'.join(k + '=' + v for k, v in sorted(os.environ.items())))"));

        // then each sees the driver's environment (its secret's file, not the secret), and none of the gateway's keys
        for (String environment : List.of(scala, python)) {
            assertThat(environment).contains("PATH=", "SPARKGATE_SESSION_SECRET_FILE=" + secretFile(session))
                    .doesNotContain(TOKEN, "SPARKGATE_TOKEN", "SPARKGATE_SESSION_SECRET=", secret, CLOUD_KEY);
        }
    }

    @Test
    void theDriverRunsDetachedWithItsSecretInAFileOnlyItsOwnerReadsAndItsOutputStillInTheSessionLog() throws Exception {
        LivyClient livy = gateway.livy(TOKEN);
        int session = gateway.session();
        long pid = livy.get("/sessions/" + session).body().path("driver").path("pid").asLong();

        // the secret: a file of mode 0600 in the driver's work dir, holding what the gateway checks the driver against
        Path secretFile = secretFile(session);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile))).isEqualTo("rw-------");
        assertThat(gateway.gateway().gateway().sessions().get(String.valueOf(session))
                .authenticates(Files.readString(secretFile))).as("the file holds the session's secret").isTrue();

        // the process: the leader of a process group of its own, not in the gateway's
        long driverGroup = processGroup(pid);
        assertThat(driverGroup).as("the driver's process group").isEqualTo(pid)
                .isNotEqualTo(processGroup(ProcessHandle.current().pid()));

        // the output: written to its own log file, and still shown as the session's log
        String logFile = Files.readString(Path.of("/proc/" + pid + "/cwd").toRealPath().resolve("driver.log"));
        String ready = "sparkgate-driver session " + session + ": ready";
        assertThat(logFile).contains(ready);
        assertThat(livy.get("/sessions/" + session + "/log?size=1000").body().path("log").toString()).contains(ready);
    }

    /** The file the driver's environment names for its secret (read from the running driver, as the kernel has it). */
    private static Path secretFile(int session) throws Exception {
        long pid = gateway.livy(TOKEN).get("/sessions/" + session).body().path("driver").path("pid").asLong();
        String environ = Files.readString(Path.of("/proc/" + pid + "/environ"));
        return Arrays.stream(environ.split("\u0000")).filter(v -> v.startsWith("SPARKGATE_SESSION_SECRET_FILE="))
                .map(v -> Path.of(v.substring(v.indexOf('=') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("driver " + pid + " has no SPARKGATE_SESSION_SECRET_FILE"));
    }

    /** The process group of {@code pid}: field 5 of /proc/PID/stat, after the command name in parentheses. */
    private static long processGroup(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    }

    private static String output(JsonNode statement) {
        assertThat(statement.path("output").path("status").asText()).as("statement %s", statement).isEqualTo("ok");
        return statement.path("output").path("data").path("text/plain").asText();
    }

    private static boolean handshakeSucceeds(URI uri, Map<String, String> headers) throws InterruptedException {
        WebSocketClient client = new WebSocketClient(uri, headers) {
            @Override
            public void onOpen(ServerHandshake handshake) {
            }

            @Override
            public void onMessage(String message) {
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
            }

            @Override
            public void onError(Exception ex) {
            }
        };
        boolean open = client.connectBlocking(5, TimeUnit.SECONDS);
        client.closeBlocking();
        return open;
    }
}
