package dev.sparkgate.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.testkit.OutsideTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Debian's JupyterHub 3.0, started for a test: a dummy authenticator, its proxy (configurable-http-proxy), and a
 * service whose token the test uses to make users and per-user API tokens through the Hub's REST API.
 */
public final class JupyterHubProcess implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final int hubPort;
    private final String serviceToken = UUID.randomUUID().toString().replace("-", "");

    private JupyterHubProcess(Path dir) throws IOException {
        this.dir = dir;
        this.hubPort = LocalServer.freePort();
        Files.writeString(dir.resolve("jupyterhub_config.py"), String.join("\n",
                "c.JupyterHub.authenticator_class = 'dummy'",
                "c.JupyterHub.ip = '127.0.0.1'",
                "c.JupyterHub.port = " + LocalServer.freePort(),
                "c.JupyterHub.hub_ip = '127.0.0.1'",
                "c.JupyterHub.hub_port = " + hubPort,
                "c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:" + LocalServer.freePort() + "'",
                "c.JupyterHub.db_url = 'sqlite:///" + dir.resolve("hub.sqlite") + "'",
                "c.JupyterHub.cookie_secret_file = '" + dir.resolve("cookie_secret") + "'",
                "c.JupyterHub.pid_file = '" + dir.resolve("hub.pid") + "'",
                "c.JupyterHub.services = [{'name': 'sparkgate-test', 'api_token': '" + serviceToken + "'}]",
                "c.JupyterHub.load_roles = [{'name': 'sparkgate-test', 'scopes': ['admin:users', 'tokens'],"
                        + " 'services': ['sparkgate-test']}]",
                ""));
        ProcessBuilder hub = new ProcessBuilder("/usr/bin/jupyterhub", "-f", dir.resolve("jupyterhub_config.py").toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("hub.log").toFile());
        // Debian's proxy finds its modules where Debian's Node looks; a NodeSource Node (same path) needs telling.
        hub.environment().put("NODE_PATH", "/usr/share/nodejs");
        this.process = hub.start();
    }

    /** Starts a Hub and waits until its API answers. */
    public static JupyterHubProcess start() {
        OutsideTools.JUPYTERHUB.require();
        try {
            JupyterHubProcess hub = new JupyterHubProcess(Files.createTempDirectory("sparkgate-jupyterhub"));
            Await.until("JupyterHub's API (log: " + hub.dir.resolve("hub.log") + ")", Duration.ofSeconds(60),
                    () -> LocalServer.answers(hub.process, hub.url(), "/hub/api/", hub.serviceToken));
            return hub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the Hub is, as Sparkgate's SPARKGATE_JUPYTERHUB_URL names it. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + hubPort);
    }

    /** Makes {@code user} and an API token of theirs, as a single-user server gets one. */
    public String tokenFor(String user) {
        HttpResponse<String> created = api("POST", "/hub/api/users/" + user, "{}");
        if (created.statusCode() != 201 && created.statusCode() != 409) {
            throw new AssertionError("the Hub did not make user " + user + ": " + created.body());
        }
        HttpResponse<String> token = api("POST", "/hub/api/users/" + user + "/tokens",
                "{\"note\": \"sparkgate test\"}");
        if (token.statusCode() != 201) {
            throw new AssertionError("the Hub did not make a token for " + user + ": " + token.body());
        }
        try {
            JsonNode body = Json.MAPPER.readTree(token.body());
            return body.path("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> api(String method, String path, String body) {
        return LocalServer.send(url(), method, path, body, serviceToken);
    }

    @Override
    public void close() {
        LocalServer.stop(process);  // the Hub stops its proxy; whatever is left is stopped by pid
    }
}
