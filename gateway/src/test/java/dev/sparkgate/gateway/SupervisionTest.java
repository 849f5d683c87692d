package dev.sparkgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One JVM per session, supervised: a driver that dies takes only its own session with it. Every test kills, deletes
 * or culls sessions, so each makes its own.
 */
class SupervisionTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession();
    private static LivyClient livy;

    @BeforeAll
    static void client() {
        livy = gateway.livy();
    }

    @Test
    void aKilledDriverMakesItsSessionDeadWithTheCauseWhileAnotherSessionWorksOn() {
        int victim = livy.createIdleSession(Map.of("kind", "spark"));
        int bystander = livy.createIdleSession(Map.of("kind", "sql"));
        long pid = livy.get("/sessions/" + victim).body().path("driver").path("pid").asLong();
        int running = livy.post("/sessions/" + victim + "/statements", Map.of("code", "Thread.sleep(60000)"))
                .body().path("id").asInt();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        JsonNode dead = livy.awaitState(victim, "dead", Duration.ofSeconds(30));
        assertThat(dead.path("log").toString()).contains("exited with code 137");
        JsonNode interrupted = livy.awaitStatement(victim, running, Duration.ofSeconds(5));
        assertThat(interrupted.path("output").path("evalue").asText()).contains("driver exited");
        LivyClient.Reply refused = livy.post("/sessions/" + victim + "/statements", Map.of("code", "1"));
        assertThat(refused.status()).isEqualTo(500);
        assertThat(refused.msg()).contains("Session is in state dead");
        assertThat(livy.run(bystander, "sql", "SELECT 1 AS alive").path("output").path("status").asText())
                .isEqualTo("ok");
        livy.delete("/sessions/" + victim);
        livy.delete("/sessions/" + bystander);
    }

    @Test
    void deletingASessionStopsItsDriverProcessAndRemovesItsWorkDir() throws Exception {
        int session = livy.createIdleSession(Map.of("kind", "sql"));
        long pid = livy.get("/sessions/" + session).body().path("driver").path("pid").asLong();
        Optional<ProcessHandle> driver = ProcessHandle.of(pid);
        assertThat(driver).isPresent();
        Path workDir = Path.of("/proc/" + pid + "/cwd").toRealPath();
        assertThat(workDir.resolve("session.secret")).exists();

        livy.delete("/sessions/" + session);

        assertThat(driver.get().isAlive()).isFalse();
        assertThat(workDir).as("the driver's work dir, with its secret file and log, once the delete returned")
                .doesNotExist();
        assertThat(livy.get("/sessions/" + session).status()).isEqualTo(404);
    }

    @Test
    void anIdleSessionIsCulledAfterItsTimeoutAndItsDriverStops() {
        int session = livy.createIdleSession(Map.of("kind", "sql", "idleTimeout", "2s"));
        long pid = livy.get("/sessions/" + session).body().path("driver").path("pid").asLong();
        livy.run(session, "sql", "SELECT 1");

        Await.until("session " + session + " culled (404)", Duration.ofSeconds(20),
                () -> livy.get("/sessions/" + session).status() == 404);

        // The culled session is gone from the API at once; its driver is then stopped, with a grace period.
        ProcessHandle.of(pid).ifPresent(driver -> driver.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(livy.post("/sessions", Map.of("kind", "sql", "idleTimeout", "soon")).msg())
                .isEqualTo("'idleTimeout' must be a duration like 30s, 15m or 2h, not 'soon'.");
    }

    @Test
    void aSparkThatCannotStartPutsTheSessionInErrorWithTheReason() {
        int broken = livy.post("/sessions", Map.of("kind", "sql", "conf", Map.of("spark.ui.port", "not-a-port")))
                .body().path("id").asInt();

        JsonNode session = livy.awaitState(broken, "error", Duration.ofSeconds(60));

        assertThat(session.path("log").toString()).contains("Spark could not start", "not-a-port");
        livy.delete("/sessions/" + broken);
    }
}
