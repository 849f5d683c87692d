package dev.sparkgate.gateway.testing;

import dev.sparkgate.gateway.Main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway as an operator runs it: its own JVM ({@code java ... Main}), configured by its environment, with its output
 * in a file. Unlike {@link TestGateway} it can be killed ({@code kill -9}) and started again on the same work
 * directory and port, which is what a crash, an upgrade or Ctrl-C does to a real gateway.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final int port;

    private GatewayProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Starts a gateway on {@code port} with {@code workDir} and {@code env} on top of the tests' defaults (the built
     * driver runtime, small drivers), its output appended to {@code output}; returns once it answers its liveness probe.
     */
    public static GatewayProcess start(Path workDir, int port, Map<String, String> env, Path output) throws IOException {
        GatewayProcess gateway = launch(workDir, port, env, output);
        LivyClient livy = gateway.livy();
        // 120 s: under a load of 20-30 on 2 cores, a gateway JVM took 40 s to read its settings alone
        try {
            Await.until("the gateway process answers on port " + port + " (its output: " + output + ")",
                    Duration.ofSeconds(120), () -> gateway.process.isAlive() && answers(livy));
        } catch (AssertionError | RuntimeException notUp) {
            gateway.kill(); // a gateway that never answered is the caller's no longer: leave no process behind
            throw notUp;
        }
        return gateway;
    }

    /** Starts a gateway as {@link #start} does, without waiting for it: for one that should refuse to start. */
    public static GatewayProcess launch(Path workDir, int port, Map<String, String> env, Path output) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("SPARKGATE_PORT", String.valueOf(port));
        settings.put("SPARKGATE_DRIVER_HOME", System.getProperty("sparkgate.driver.home"));
        settings.put("SPARKGATE_WORK_DIR", workDir.toString());
        settings.put("SPARKGATE_DRIVER_MEMORY", "512m");
        // Sessions that name no line run 3.5, whose PySpark the tests have (SPARKGATE_TEST_SPARK_HOME), as in TestGateway.
        settings.put("SPARKGATE_SPARK_CONF", "spark.ui.enabled=false,spark.sql.shuffle.partitions=4,sparkgate.sparkVersion=3.5");
        settings.putAll(env);
        Files.createDirectories(output.getParent());
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classPath(), Main.class.getName())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        // An operator's gateway without a token: whatever token the test JVM's own environment has stays out of it.
        builder.environment().remove("SPARKGATE_TOKEN");
        builder.environment().putAll(settings);
        return new GatewayProcess(builder.start(), output, port);
    }

    /** The exit code of a gateway that ends on its own within {@code timeout}. */
    public int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the gateway process " + process.pid() + " still runs after " + timeout
                    + " (its output: " + output + ")");
        }
        return process.exitValue();
    }

    public LivyClient livy() {
        return new LivyClient(baseUri(), null);
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is cleaned up; returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM, as Ctrl-C, {@code docker stop} or a rollout sends: the gateway's shutdown hook runs. */
    public void stop() {
        process.destroy();
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the gateway process " + process.pid() + " did not exit within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the gateway processes that wrote to this file have written. */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    /** Whether the gateway answers its liveness probe; refused connections mean it is not (or no longer) there. */
    public static boolean answers(LivyClient livy) {
        try {
            return livy.get("/healthz").status() == 200;
        } catch (UncheckedIOException notListening) {
            return false;
        }
    }

    /** A new work directory under the tests' own, named after {@code name}: a gateway's sessions are recorded there. */
    public static Path freshWorkDir(String name) {
        return Path.of(System.getProperty("sparkgate.test.work", "target/test-work")).toAbsolutePath()
                .resolve(name + "-" + System.nanoTime());
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The gateway's classpath as the tests have it, without the emulated cluster: once packaged, kube-emulator is a
     * runnable jar with Spark's Log4j bridge inside, a second SLF4J provider that the gateway's own jar does not have
     * (SLF4J would print its plain-text warning about two providers). Surefire gives the test JVM a manifest-only jar;
     * its Class-Path holds the real entries.
     */
    public static String classPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!path.getFileName().toString().startsWith("surefirebooter")) {
                entries.add(entry);
                continue;
            }
            try (java.util.jar.JarFile booter = new java.util.jar.JarFile(path.toFile())) {
                String classPath = booter.getManifest().getMainAttributes().getValue("Class-Path");
                for (String url : classPath.trim().split("\\s+")) {
                    entries.add(url.startsWith("file:") ? Path.of(URI.create(url)).toString()
                            : path.getParent().resolve(java.net.URLDecoder.decode(url,
                                    java.nio.charset.StandardCharsets.UTF_8)).normalize().toString());
                }
            }
        }
        return String.join(java.io.File.pathSeparator,
                entries.stream().filter(entry -> !entry.contains("kube-emulator")).toList());
    }
}
