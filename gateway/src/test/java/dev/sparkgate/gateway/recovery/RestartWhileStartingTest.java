package dev.sparkgate.gateway.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayProcess;
import dev.sparkgate.gateway.testing.LivyClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two restarts in a row while sessions start: the gateway is killed while its drivers start Spark, and the next one
 * is killed while it waits for them to dial back. The third has each session once, each becomes idle, no driver runs
 * without its session, and ids go on after them.
 */
class RestartWhileStartingTest {

    @Test
    void twoRestartsInARowWhileSessionsStartLeaveNoDuplicateAndNoOrphan() throws Exception {
        Path work = GatewayProcess.freshWorkDir("restart-starting");
        Path output = work.resolve("gateway.log");
        int port = GatewayProcess.freePort();
        Map<String, String> env = Map.of("SPARKGATE_DRIVER_ORPHAN_TIMEOUT", "90s");
        List<GatewayProcess> gateways = new ArrayList<>();
        try {
            // given: two sessions whose drivers were launched and are still starting Spark
            gateways.add(GatewayProcess.start(work, port, env, output));
            LivyClient livy = gateways.get(0).livy();
            int first = livy.post("/sessions", Map.of("kind", "sql")).body().path("id").asInt();
            int second = livy.post("/sessions", Map.of("kind", "sql")).body().path("id").asInt();
            Await.until("both drivers launched and recorded", Duration.ofSeconds(60),
                    () -> Files.exists(work.resolve("sessions").resolve(first + ".json"))
                            && Files.exists(work.resolve("sessions").resolve(second + ".json")));

            // when: the gateway is killed, and the next one is killed as soon as it answers
            gateways.get(0).kill();
            gateways.add(GatewayProcess.start(work, port, env, output));
            assertThat(livy.get("/sessions/" + first).body().path("state").asText())
                    .isIn("recovering", "idle");
            gateways.get(1).kill();
            gateways.add(GatewayProcess.start(work, port, env, output));

            // then: each session once, idle, each with one driver; ids go on after them
            livy.awaitState(first, "idle", Duration.ofSeconds(120));
            livy.awaitState(second, "idle", Duration.ofSeconds(120));
            JsonNode sessions = livy.get("/sessions").body().path("sessions");
            List<Integer> ids = new ArrayList<>();
            sessions.forEach(session -> ids.add(session.path("id").asInt()));
            assertThat(ids).containsExactly(first, second);
            assertThat(drivers(work)).as("driver JVMs of this work directory").hasSize(2);
            assertThat(livy.run(first, "sql", "SELECT 1 AS one").path("state").asText()).isEqualTo("available");
            int next = livy.post("/sessions", Map.of("kind", "sql")).body().path("id").asInt();
            assertThat(next).isEqualTo(second + 1);
            assertThat(livy.delete("/sessions/" + next).status()).isEqualTo(200);
        } finally {
            gateways.forEach(GatewayProcess::close);
            drivers(work).forEach(ProcessHandle::destroyForcibly);
        }
        Await.until("no driver left once the gateway stopped", Duration.ofSeconds(30), () -> drivers(work).isEmpty());
    }

    /** The driver JVMs whose working directory is under {@code work}: what this test's gateways started. */
    private static List<ProcessHandle> drivers(Path work) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(line ->
                line.contains("dev.sparkgate.driver.SessionDriver")).orElse(false))
                .filter(p -> Path.of("/proc", String.valueOf(p.pid()), "cwd").toFile().exists())
                .filter(p -> {
                    try {
                        return Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "cwd")).startsWith(work);
                    } catch (java.io.IOException gone) {
                        return false;
                    }
                }).toList();
    }
}
