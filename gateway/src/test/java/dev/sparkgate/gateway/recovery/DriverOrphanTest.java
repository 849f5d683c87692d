package dev.sparkgate.gateway.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.FrozenProcess;
import dev.sparkgate.gateway.testing.GatewayProcess;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.protocol.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drivers whose gateway does not come back leave nothing behind: with no gateway for
 * {@code SPARKGATE_DRIVER_ORPHAN_TIMEOUT} a driver stops Spark and exits, and the gateway that starts later shows its
 * session {@code dead} and removes its record and working directory. A driver that is alive but does not dial back
 * (here: frozen with SIGSTOP) makes its session {@code dead} after {@code SPARKGATE_RECOVERY_TIMEOUT}, "the driver did
 * not return after the gateway restarted", and its process is removed.
 */
class DriverOrphanTest {

    @Test
    void driversWithoutAGatewayStopThemselvesAndADriverThatDoesNotReturnIsRemoved() throws Exception {
        Path work = GatewayProcess.freshWorkDir("orphan");
        Path output = work.resolve("gateway.log");
        int port = GatewayProcess.freePort();
        Map<String, String> env = Map.of("SPARKGATE_DRIVER_ORPHAN_TIMEOUT", "4s", "SPARKGATE_RECOVERY_TIMEOUT", "5s");
        GatewayProcess first = GatewayProcess.start(work, port, env, output);
        GatewayProcess second = null;
        long orphanPid = -1;
        long frozenPid = -1;
        try {
            // given: two sessions; one driver frozen, so it cannot dial back
            LivyClient livy = first.livy();
            int orphan = livy.createIdleSession(Map.of("kind", "sql"));
            int frozen = livy.createIdleSession(Map.of("kind", "sql"));
            orphanPid = livy.get("/sessions/" + orphan).body().path("driver").path("pid").asLong();
            frozenPid = livy.get("/sessions/" + frozen).body().path("driver").path("pid").asLong();
            Path orphanWorkDir = Path.of(record(work, orphan).path("driver").path("workDir").asText());
            Path frozenWorkDir = Path.of(record(work, frozen).path("driver").path("workDir").asText());
            FrozenProcess.freeze(frozenPid);

            // when: the gateway is killed and none comes back for longer than the orphan timeout
            first.kill();
            long orphanDriver = orphanPid;
            Await.until("the orphaned driver " + orphanPid + " exits on its own", Duration.ofSeconds(60),
                    () -> ProcessHandle.of(orphanDriver).map(p -> !p.isAlive()).orElse(true));
            assertThat(Files.readString(orphanWorkDir.resolve("driver.log")))
                    .contains("no gateway took this driver back within 4 s");

            // then: the next gateway shows both sessions dead, with their causes, and leaves nothing of them
            second = GatewayProcess.start(work, port, env, output);
            LivyClient after = second.livy();
            JsonNode ended = after.awaitState(orphan, "dead", Duration.ofSeconds(30));
            assertThat(ended.path("log").toString()).contains("ended while no gateway watched it");
            JsonNode lost = after.awaitState(frozen, "dead", Duration.ofSeconds(60));
            assertThat(lost.path("log").toString()).contains("the driver did not return after the gateway restarted");
            long frozenDriver = frozenPid;
            Await.until("the driver that did not return (" + frozenPid + ") is removed", Duration.ofSeconds(60),
                    () -> ProcessHandle.of(frozenDriver).map(p -> !p.isAlive()).orElse(true));
            Await.until("no session record and no driver working directory is left", Duration.ofSeconds(30),
                    () -> !Files.exists(work.resolve("sessions").resolve(orphan + ".json"))
                            && !Files.exists(work.resolve("sessions").resolve(frozen + ".json"))
                            && !Files.exists(orphanWorkDir) && !Files.exists(frozenWorkDir));
            assertThat(second.output()).contains("session " + frozen + ": the driver did not return after the gateway "
                    + "restarted");
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
            for (long pid : List.of(orphanPid, frozenPid)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static JsonNode record(Path work, int session) throws Exception {
        return Json.MAPPER.readTree(Files.readString(work.resolve("sessions").resolve(session + ".json")));
    }
}
