package dev.sparkgate.bridge.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real gateway, as a user runs it: {@code java -jar sparkgate-gateway.jar} with its driver runtime beside it (the
 * gateway's distribution, which the build unpacks to {@code target/gateway/}) on a free port, its output in
 * {@code target/gateway-PORT.log}. Front-end tests talk to it over the network, like a notebook does.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Map<String, String> env;
    private final Path log;

    private GatewayProcess(Process process, int port, Map<String, String> env, Path log) {
        this.process = process;
        this.port = port;
        this.env = env;
        this.log = log;
    }

    public static GatewayProcess start() {
        return start(Map.of());
    }

    /** {@code env}: extra SPARKGATE_* settings (a token, say). */
    public static GatewayProcess start(Map<String, String> env) {
        return start(env, freePort());
    }

    /** On {@code port}, with its work directory named after it: a gateway started again there takes its sessions back. */
    private static GatewayProcess start(Map<String, String> env, int port) {
        Path jar = Path.of(System.getProperty("sparkgate.gateway.jar", "target/gateway/sparkgate-gateway.jar"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests from the root with the modules they need, "
                    + "'mvn verify -pl kernel-bridge -am', so that the gateway's distribution is built and unpacked");
        }
        try {
            Path target = Path.of("target").toAbsolutePath();
            Path log = target.resolve("gateway-" + port + ".log");
            Files.writeString(log, "", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("SPARKGATE_PORT", String.valueOf(port));
            builder.environment().put("SPARKGATE_WORK_DIR", target.resolve("gateway-work-" + port).toString());
            builder.environment().put("SPARKGATE_DRIVER_MEMORY", "768m");
            // Sessions run Spark 3.5, as the suites here were written for; the gateway's own default is the newest
            // runtime (gateway's runtimes/ tests cover both).
            builder.environment().put("SPARKGATE_SPARK_CONF", "sparkgate.sparkVersion=3.5");
            builder.environment().putAll(env);
            GatewayProcess gateway = new GatewayProcess(builder.start(), port, Map.copyOf(env), log);
            gateway.awaitListening(Duration.ofSeconds(30));
            return gateway;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the gateway", e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public String token() {
        return env.get("SPARKGATE_TOKEN");
    }

    /**
     * {@code kill -9}, then a new gateway on the same port, work directory and settings: a crash and the restart that
     * takes the sessions back. Returns the new gateway.
     */
    public GatewayProcess killAndRestart() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the killed gateway " + process.pid() + " did not exit within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return start(env, port);
    }

    public Path log() {
        return log;
    }

    private void awaitListening(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited; see " + log);
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) uri().resolve("/version").toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.getResponseCode();
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IllegalStateException("the gateway did not listen within " + timeout + "; see " + log);
    }

    /** Stops the gateway the way an operator does (SIGTERM): its sessions' drivers are stopped with it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
