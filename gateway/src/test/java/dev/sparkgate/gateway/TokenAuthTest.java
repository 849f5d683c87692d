package dev.sparkgate.gateway;

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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** With SPARKGATE_TOKEN set, every route wants it; drivers prove themselves with their session's secret. */
class TokenAuthTest {

    private static final String TOKEN = "s3cret-token";
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.sql).token(TOKEN);

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
