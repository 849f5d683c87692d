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
import java.util.Map;

/**
 * Debian's Jupyter Server in gateway mode ({@code --gateway-url}), unchanged, as one user's single-user server runs
 * it: its kernels run on Sparkgate, authenticated with {@code authToken} (the user's JupyterHub token).
 */
final class JupyterServerProcess implements AutoCloseable {

    private final Process process;
    private final int port = LocalServer.freePort();
    private final String token = "server-" + java.util.UUID.randomUUID();
    private final Path dir;

    JupyterServerProcess(URI gateway, String authToken) {
        OutsideTools.JUPYTER.require();
        try {
            dir = Files.createTempDirectory("sparkgate-jupyter-server");
            ProcessBuilder builder = new ProcessBuilder(OutsideTools.DEBIAN_PYTHON.toString(), "-m", "jupyter_server",
                    "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", "--ServerApp.port=" + port,
                    "--ServerApp.port_retries=0", "--ServerApp.token=" + token, "--ServerApp.root_dir=" + dir,
                    "--gateway-url=" + gateway, "--GatewayClient.auth_token=" + authToken)
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
            Map<String, String> env = builder.environment();
            env.put("JUPYTER_CONFIG_DIR", dir.resolve("config").toString());
            env.put("JUPYTER_DATA_DIR", dir.resolve("data").toString());
            env.put("JUPYTER_RUNTIME_DIR", dir.resolve("runtime").toString());
            env.remove("JUPYTER_PATH");
            env.remove("KERNEL_USERNAME");  // the kernel is the token's user's
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until("Jupyter Server on port " + port + " (log: " + dir.resolve("server.log") + ")",
                Duration.ofSeconds(60), () -> LocalServer.answers(process, base(), "/api", token));
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    String token() {
        return token;
    }

    /** Its REST API: (status, JSON body). */
    JsonNode api(String method, String path, String body, int expectedStatus) {
        HttpResponse<String> response = LocalServer.send(base(), method, path, body, token);
        if (response.statusCode() != expectedStatus) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body() + " (log: " + dir.resolve("server.log") + ")");
        }
        try {
            return response.body().isEmpty() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        LocalServer.stop(process);
    }
}
