package dev.sparkgate.gateway.placement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.TestUsers;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm pool ({@code SPARKGATE_WARM_SESSIONS}): a driver started and warmed before anyone asks, which one session
 * takes, whole, with its owner's identity; the pool refilling behind it; a session with start settings of its own
 * starting cold beside the pool. (Pool size 0 is every other test class.)
 */
class WarmPoolTest {

    private static final Path WORK = workDir();

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().with(Map.of(
            "SPARKGATE_WARM_SESSIONS", "3.5=1",
            "SPARKGATE_WORK_DIR", WORK.toString(),
            "SPARKGATE_USERS_FILE", TestUsers.file("alice:alice-token:", "bob:bob-token:").toString(),
            "SPARK_HOME", String.valueOf(System.getenv(OutsideTools.SPARK_HOME_VARIABLE)),
            "SPARKGATE_PYTHON", OutsideTools.DEBIAN_PYTHON.toString()));

    private static Path workDir() {
        try {
            return Files.createTempDirectory(Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
                    .toAbsolutePath(), "warm-pool-");
        } catch (IOException e) {
            try {
                Files.createDirectories(Path.of("target/test-work"));
                return Files.createTempDirectory(Path.of("target/test-work").toAbsolutePath(), "warm-pool-");
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        }
    }

    /** The pooled drivers as the work directory shows them: pid, for each that no session took yet. */
    private static List<Long> pooled(boolean warmOnly) {
        Path pool = WORK.resolve("pool");
        if (!Files.isDirectory(pool)) {
            return List.of();
        }
        try (var dirs = Files.list(pool)) {
            return dirs.filter(d -> Files.exists(d.resolve(PooledDriver.MARKER)))
                    .filter(d -> !warmOnly || Files.exists(d.resolve("warm")))
                    .map(d -> read(d.resolve(PooledDriver.MARKER))).flatMap(Optional::stream)
                    .map(PooledDriver.Marker::pid).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<PooledDriver.Marker> read(Path marker) {
        try {
            return Optional.of(Json.read(Files.readString(marker), PooledDriver.Marker.class));
        } catch (IOException | RuntimeException takenMeanwhile) {
            return Optional.empty();
        }
    }

    /** The one pooled driver's pid, once there is one ({@code warm}: once it says its warm-ups have run). */
    private static long awaitPooledDriver(String what, boolean warm) {
        return Await.value(what, Duration.ofSeconds(150), Duration.ofMillis(200), () -> pooled(warm),
                pids -> pids.size() == 1).get(0);
    }

    private static String ok(JsonNode statement) {
        assertThat(statement.path("output").path("status").asText()).as(statement.toString()).isEqualTo("ok");
        return statement.path("output").path("data").path("text/plain").asText().strip();
    }

    private static int create(LivyClient user, Map<String, Object> request) {
        LivyClient.Reply created = user.post("/sessions", request);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.body().path("id").asInt();
    }

    @Test
    void aSessionTakesAWarmDriverWithItsOwnersIdentityAndThePoolRefills() {
        OutsideTools.PYSPARK.require();
        LivyClient alice = gateway.livy("alice-token");
        LivyClient bob = gateway.livy("bob-token");

        // given a warm driver in the pool
        long pooledPid = awaitPooledDriver("a warm pooled driver", true);

        // when alice asks for a session with the gateway's defaults
        int aliceSession = create(alice, Map.of("kind", "shared"));

        // then it is idle at once, on that very driver, and it is alice's alone
        alice.awaitState(aliceSession, "idle", Duration.ofSeconds(10));
        assertThat(ok(alice.run(aliceSession, "spark", "ProcessHandle.current().pid()")))
                .isEqualTo("res0: Long = " + pooledPid);
        assertThat(ok(alice.run(aliceSession, "sql", "SELECT 41 + 1 AS answer"))).contains("42");
        assertThat(ok(alice.run(aliceSession, "pyspark", "spark.range(3).count()"))).isEqualTo("3");
        assertThat(alice.get("/sessions/" + aliceSession).body().path("owner").asText()).isEqualTo("alice");
        assertThat(bob.get("/sessions/" + aliceSession).status()).isEqualTo(403);
        assertThat(bob.get("/sessions").body().path("sessions")).as("pooled drivers are not sessions").isEmpty();

        // and the pool refills, with another driver, which bob's Python session (another kind) takes, warm or not yet
        long refilled = awaitPooledDriver("the pool refilled", false);
        assertThat(refilled).isNotEqualTo(pooledPid);
        int bobSession = create(bob, Map.of("kind", "pyspark"));
        bob.awaitState(bobSession, "idle", Duration.ofSeconds(120));
        // (its Python is the driver JVM's child)
        assertThat(ok(bob.run(bobSession, "pyspark", "import os; os.getppid()"))).isEqualTo(String.valueOf(refilled));
        // and alice's session is still on hers: two sessions never share a driver
        assertThat(ok(alice.run(aliceSession, "spark", "ProcessHandle.current().pid()")))
                .isEqualTo("res1: Long = " + pooledPid);

        assertThat(alice.delete("/sessions/" + aliceSession).status()).isEqualTo(200);
        assertThat(bob.delete("/sessions/" + bobSession).status()).isEqualTo(200);
        Await.until("alice's driver gone", Duration.ofSeconds(30),
                () -> ProcessHandle.of(pooledPid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aSessionWithStartSettingsOfItsOwnStartsColdAndLeavesThePoolAlone() {
        OutsideTools.PYSPARK.require();
        LivyClient alice = gateway.livy("alice-token");
        long pooledPid = awaitPooledDriver("a pooled driver", false);

        // when a session asks for a driver heap of its own, which only a new JVM can have
        int session = create(alice, Map.of("kind", "pyspark", "driverMemory", "700m"));

        // then it starts cold, on a driver of its own (its Python is that JVM's child), and the pooled one waits
        alice.awaitState(session, "idle", Duration.ofSeconds(120));
        assertThat(ok(alice.run(session, "pyspark", "import os; os.getppid()"))).isNotEqualTo(String.valueOf(pooledPid));
        assertThat(ok(alice.run(session, "pyspark",
                "spark.sparkContext._jvm.java.lang.Runtime.getRuntime().maxMemory() // 1024 // 1024 <= 700")))
                .isEqualTo("True");
        assertThat(pooled(false)).containsExactly(pooledPid);
        assertThat(alice.delete("/sessions/" + session).status()).isEqualTo(200);
    }
}
