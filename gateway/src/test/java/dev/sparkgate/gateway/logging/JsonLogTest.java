package dev.sparkgate.gateway.logging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.Main;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayProcess;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.protocol.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
        // A work directory of its own: the gateway keeps its session ids there, and this gateway's first is 0.
        Path work = Path.of(System.getProperty("sparkgate.test.work", "target/test-work")).toAbsolutePath()
                .resolve("json-log-" + System.nanoTime());
        Files.createDirectories(work);
        Path output = work.resolve("json-log-gateway.log");
        int port = GatewayProcess.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", GatewayProcess.classPath(), Main.class.getName())
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
                    Duration.ofSeconds(60), () -> gateway.isAlive() && GatewayProcess.answers(livy));

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

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
