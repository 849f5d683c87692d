package dev.sparkgate.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.jupyter.ChannelsClient;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.jupyter.JupyterMessage;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JupyterHub whose users' single-user servers use Sparkgate as their kernel gateway: Debian's JupyterHub (dummy
 * authenticator) makes each user an API token, Sparkgate asks the Hub who a token is, and an unchanged Jupyter Server
 * per user, in gateway mode with that user's token, runs a cell on a kernel that is that user's and no one else's.
 */
class JupyterHubTest {

    private static final Duration CELL = Duration.ofSeconds(120);
    private static final JupyterHubProcess HUB = JupyterHubProcess.start();

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession()
            .with("SPARKGATE_JUPYTERHUB_URL", HUB.url().toString()).requires(OutsideTools.JUPYTER);

    @AfterAll
    static void stopHub() {
        HUB.close();
    }

    @Test
    void aHubTokenIsItsUserAndATokenTheHubDoesNotKnowIsRefused() throws Exception {
        String alice = HUB.tokenFor("alice");

        HttpResponse<String> known = get("/sessions", "token " + alice);
        HttpResponse<String> unknown = get("/sessions", "token not-a-hub-token");

        assertThat(known.statusCode()).as(known.body()).isEqualTo(200);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("JupyterHub API token");
    }

    @Test
    void eachUsersJupyterServerRunsItsCellsOnAKernelThatIsTheirsAlone() {
        String aliceToken = HUB.tokenFor("alice");
        String bobToken = HUB.tokenFor("bob");
        List<String> kernels = new ArrayList<>();
        try (JupyterServerProcess aliceServer = new JupyterServerProcess(gateway.baseUri(), aliceToken);
             JupyterServerProcess bobServer = new JupyterServerProcess(gateway.baseUri(), bobToken)) {
            String aliceKernel = runACell(aliceServer, "SELECT 'alice' AS who");
            kernels.add(aliceKernel);
            String bobKernel = runACell(bobServer, "SELECT 'bob' AS who");
            kernels.add(bobKernel);

            JsonNode aliceSession = gateway.livy(aliceToken).get("/sessions/" + aliceKernel).body();
            assertThat(aliceSession.path("owner").asText()).isEqualTo("alice");
            assertThat(gateway.livy(bobToken).get("/sessions/" + bobKernel).body().path("owner").asText())
                    .isEqualTo("bob");
            assertThat(gateway.livy(bobToken).get("/sessions/" + aliceKernel).status()).isEqualTo(403);
            assertThat(bobServer.api("GET", "/api/kernels", null, 200).findValuesAsText("id"))
                    .as("bob's server lists the gateway's kernels bob may see").contains(bobKernel)
                    .doesNotContain(aliceKernel);
            kernels.forEach(kernel -> (kernel.equals(aliceKernel) ? aliceServer : bobServer)
                    .api("DELETE", "/api/kernels/" + kernel, null, 204));
        }
    }

    /** Starts a SQL kernel through {@code server}, runs {@code code} on it to the end; returns the kernel's id. */
    private static String runACell(JupyterServerProcess server, String code) {
        String kernel = server.api("POST", "/api/kernels", "{\"name\": \"sparkgate_sql\"}", 201).path("id").asText();
        try (ChannelsClient channels = ChannelsClient.connect(server.base(), kernel, server.token())) {
            channels.awaitReady(CELL);
            JupyterMessage execute = channels.execute(code);
            channels.awaitIdle(execute, CELL);
            assertThat(channels.reply(execute).content()).containsEntry("status", "ok");
        }
        return kernel;
    }

    private static HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.baseUri().resolve(path))
                .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
