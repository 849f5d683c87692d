package dev.sparkgate.gateway.logging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.Main;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.protocol.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway process started as an operator starts it, with {@code SPARKGATE_LOG_FORMAT=json}: every line it writes
 * is one JSON object with the time, level, logger and message, and the lines about a session carry its id (and its
 * owner, as user) as fields. A deleted session's log stays readable for a while.
 */
class JsonLogTest {

    @Test
    void everyLineIsOneJsonObjectAndSessionLinesNameTheirSession() throws Exception {
        Path work = Path.of(System.getProperty("sparkgate.test.work", "target/test-work")).toAbsolutePath();
        Files.createDirectories(work);
        Path output = work.resolve("json-log-gateway-" + System.nanoTime() + ".log");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", gatewayClassPath(), Main.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of("SPARKGATE_LOG_FORMAT", "json", "SPARKGATE_PORT", String.valueOf(port),
                "SPARKGATE_DRIVER_HOME", System.getProperty("sparkgate.driver.home"),
                "SPARKGATE_WORK_DIR", work.toString(), "SPARKGATE_DRIVER_MEMORY", "512m"));
        // An operator's gateway without a token: whatever token the test JVM's own environment has stays out of it.
        builder.environment().remove("SPARKGATE_TOKEN");
        Process gateway = builder.start();
        try {
            LivyClient livy = new LivyClient(URI.create("http://127.0.0.1:" + port), null);
            Await.until("the gateway process answers on port " + port + " (its output: " + output + ")",
                    Duration.ofSeconds(60), () -> gateway.isAlive() && answers(livy));

            int session = livy.post("/sessions", Map.of("kind", "sql", "proxyUser", "ada")).body().path("id").asInt();
            Await.until("the driver JVM launched", Duration.ofSeconds(60),
                    () -> read(output).contains("driver JVM started"));
            assertThat(livy.delete("/sessions/" + session).status()).isEqualTo(200);
            LivyClient.Reply logAfterDelete = livy.get("/sessions/" + session + "/log");

            assertThat(logAfterDelete.status()).as("the deleted session's driver log: %s", logAfterDelete)
                    .isEqualTo(200);
            assertThat(logAfterDelete.body().path("id").asInt()).isEqualTo(session);
        } finally {
            gateway.destroy();
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("the gateway process stopped").isTrue();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            JsonNode parsed = Json.MAPPER.readTree(line);
            assertThat(parsed.isObject()).as("a line of the gateway's output: %s", line).isTrue();
            lines.add(parsed);
        }
        assertThat(lines).as("the gateway's lines").isNotEmpty().allSatisfy(line -> {
            assertThat(line.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(line.path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(line.path("logger").asText()).isNotBlank();
            assertThat(line.has("message")).isTrue();
        });
        assertThat(lines).filteredOn(line -> line.path("message").asText().contains("created"))
                .singleElement().satisfies(line -> {
                    assertThat(line.path("session").asText()).isEqualTo("0");
                    assertThat(line.path("user").asText()).isEqualTo("ada");
                });
        assertThat(lines).filteredOn(line -> line.path("message").asText().contains("deleted"))
                .singleElement().satisfies(line -> assertThat(line.path("session").asText()).isEqualTo("0"));
    }

    /**
     * The gateway's classpath as the tests have it, without the emulated cluster: once packaged, kube-emulator is a
     * runnable jar with Spark's Log4j bridge inside, a second SLF4J provider that the gateway's own jar does not have
     * (SLF4J would print its plain-text warning about two providers). Surefire gives the test JVM a manifest-only jar;
     * its Class-Path holds the real entries.
     */
    private static String gatewayClassPath() throws IOException {
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

    /** Whether the gateway answers its liveness probe yet; refused connections mean it is still starting. */
    private static boolean answers(LivyClient livy) {
        try {
            return livy.get("/healthz").status() == 200;
        } catch (java.io.UncheckedIOException stillStarting) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
