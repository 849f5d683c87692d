package dev.sparkgate.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.testkit.OutsideTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    private final HttpClient http = HttpClient.newHttpClient();

    private JupyterHubProcess(Path dir) throws IOException {
        this.dir = dir;
        this.hubPort = freePort();
        Files.writeString(dir.resolve("jupyterhub_config.py"), String.join("\n",
                "c.JupyterHub.authenticator_class = 'dummy'",
                "c.JupyterHub.ip = '127.0.0.1'",
                "c.JupyterHub.port = " + freePort(),
                "c.JupyterHub.hub_ip = '127.0.0.1'",
                "c.JupyterHub.hub_port = " + hubPort,
                "c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:" + freePort() + "'",
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
                    () -> hub.process.isAlive() && hub.answers());
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

    private boolean answers() {
        try {
            return api("GET", "/hub/api/", null).statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private HttpResponse<String> api(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "token " + serviceToken)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        // The Hub stops its proxy when it stops; descendants left anyway are ended by pid, never by name.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroy);
    }
}
