package dev.sparkgate.gateway.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.FrozenProcess;
import dev.sparkgate.gateway.testing.GatewayProcess;
import dev.sparkgate.gateway.testing.LivyClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement sent in the instant of a crash is never answered 201 unless its driver has it. The driver is frozen
 * (SIGSTOP, every thread seen stopped), so it cannot acknowledge; a statement POST then gets no answer, and when the
 * gateway is killed the client sees its request fail, instead of a 201 for a statement that the crash could lose and
 * whose id the next gateway could give to another. After the restart the session holds the statement at most once,
 * ids without a gap, and goes on.
 */
class StatementInACrashTest {

    private static final String CODE = "SELECT 'sent in the crash' AS probe";

    @Test
    void aStatementIsAnsweredOnlyOnceItsDriverHasItSoACrashBeforeThatFailsTheRequest() throws Exception {
        Path work = GatewayProcess.freshWorkDir("statement-crash");
        int port = GatewayProcess.freePort();
        GatewayProcess first = GatewayProcess.start(work, port, Map.of(), work.resolve("gateway.log"));
        GatewayProcess second = null;
        FrozenProcess driver = null;
        try {
            // given: a SQL session whose driver is frozen, so it cannot acknowledge anything
            LivyClient livy = first.livy();
            int session = livy.createIdleSession(Map.of("kind", "sql"));
            assertThat(livy.run(session, "sql", "SELECT 1").path("state").asText()).isEqualTo("available");
            driver = FrozenProcess.freeze(livy.get("/sessions/" + session).body().path("driver").path("pid").asLong());

            // when: a statement is posted, and the gateway is killed before the driver acknowledged it
            CompletableFuture<LivyClient.Reply> posted = CompletableFuture.supplyAsync(
                    () -> livy.post("/sessions/" + session + "/statements", Map.of("code", CODE, "kind", "sql")));
            Thread.sleep(1500);
            assertThat(posted).as("the POST while the driver cannot acknowledge it").isNotDone();
            first.kill();

            // then: the client sees its request fail, not a 201 for a statement no one may have
            assertThat(posted).as("the POST once the gateway is gone")
                    .failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                    .withCauseInstanceOf(java.io.UncheckedIOException.class);

            // and: a restarted gateway takes the session back, holding the statement at most once, and it goes on
            driver.thaw();
            second = GatewayProcess.start(work, port, Map.of(), work.resolve("gateway.log"));
            LivyClient after = second.livy();
            after.awaitState(session, "idle", Duration.ofSeconds(60));
            List<JsonNode> statements = StreamSupport.stream(after.get("/sessions/" + session + "/statements").body()
                    .path("statements").spliterator(), false).toList();
            assertThat(statements).extracting(s -> s.path("id").asInt()).as("statement ids, without a gap")
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, statements.size()).boxed().toList());
            assertThat(statements).filteredOn(s -> s.path("code").asText().equals(CODE)).as("the statement sent in the crash")
                    .hasSizeLessThanOrEqualTo(1)
                    .allSatisfy(s -> assertThat(after.awaitStatement(session, s.path("id").asInt(), Duration.ofSeconds(30))
                            .path("state").asText()).isEqualTo("available"));
            JsonNode next = after.run(session, "sql", "SELECT 2");
            assertThat(next.path("id").asInt()).isEqualTo(statements.size());
            assertThat(next.path("state").asText()).isEqualTo("available");
        } finally {
            if (driver != null) {
                driver.thawIfAlive();
            }
            first.close();
            if (second != null) {
                second.close();
            }
            if (driver != null) {
                ProcessHandle.of(driver.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
