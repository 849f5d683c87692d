package dev.sparkgate.gateway.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.RetryPolicy;
import dev.sparkgate.client.SessionStream;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayProcess;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A gateway killed ({@code kill -9}) while a Scala cell prints and a PySpark job runs, then started again on the same
 * work directory and port: its sessions come back ({@code recovering}, then {@code idle}) with their variables, both
 * statements finish with all of their output exactly once, statement ids continue, a stream client attached before
 * the crash sees its cell complete, the Kernel Gateway API lists the same kernel, and a Livy client polling
 * throughout sees nothing but refused connections and {@code recovering} in between. A driver link with a forged secret is refused and logged; the real drivers are back.
 */
class GatewayRestartTest {

    private static final String PRINTING_CELL =
            "(1 to 30).foreach { i => println(s\"line $i\"); Thread.sleep(200) }";
    private static final String PYSPARK_JOB = "import time\n"
            + "total = sc.parallelize(range(8), 4).map(lambda v: (time.sleep(1.0), v)[1]).sum()\n"
            + "print('total', total)";

    @Test
    void aKilledGatewayRestartedOnItsWorkDirectoryTakesBackItsSessionsAndTheirRunningCells() throws Exception {
        OutsideTools.PYTHON3.require();
        OutsideTools.PYSPARK.require();
        Path work = GatewayProcess.freshWorkDir("restart");
        Path output = work.resolve("gateway.log");
        int port = GatewayProcess.freePort();
        Map<String, String> env = Map.of("SPARK_HOME", OutsideTools.sparkHome().toString(),
                "SPARKGATE_PYTHON", OutsideTools.DEBIAN_PYTHON.toString(),
                // long enough for the restart below, short enough that a failed test leaves nothing for long
                "SPARKGATE_DRIVER_ORPHAN_TIMEOUT", "90s");
        List<Long> driverPids = new ArrayList<>();
        GatewayProcess first = GatewayProcess.start(work, port, env, output);
        GatewayProcess second = null;
        LivyPoller poller = null;
        try {
            // given: a Scala session behind a Jupyter kernel (Kernel Gateway API) and a PySpark session, each with a
            // variable, and a stream client on the Scala one
            LivyClient livy = first.livy();
            String kernel = livy.post("/api/kernels", Map.of("name", "sparkgate_scala")).body().path("id").asText();
            int scala = livy.get("/sessions/" + kernel).body().path("id").asInt();
            livy.awaitState(scala, "idle", Duration.ofSeconds(120));
            int python = livy.createIdleSession(Map.of("kind", "pyspark"));
            driverPids.add(livy.get("/sessions/" + scala).body().path("driver").path("pid").asLong());
            driverPids.add(livy.get("/sessions/" + python).body().path("driver").path("pid").asLong());
            assertThat(livy.run(scala, "spark", "val x = 41").path("state").asText()).isEqualTo("available");
            assertThat(livy.run(python, "pyspark", "y = 7").path("state").asText()).isEqualTo("available");
            GatewayClient client = new GatewayClient(first.baseUri(), null, RetryPolicy.DEFAULT);
            SessionStream stream = client.openStream(scala);
            StringBuffer streamed = new StringBuffer();
            CompletableFuture<StatementEvent.Finished> cellDone = new CompletableFuture<>();
            int printing = stream.execute("spark", PRINTING_CELL, event -> {
                if (event instanceof StatementEvent.Stream chunk) {
                    streamed.append(chunk.text());
                } else if (event instanceof StatementEvent.Finished finished) {
                    cellDone.complete(finished);
                }
            });
            int job = livy.post("/sessions/" + python + "/statements", Map.of("code", PYSPARK_JOB, "kind", "pyspark"))
                    .body().path("id").asInt();
            Await.until("the cell printed its third line", Duration.ofSeconds(60),
                    () -> streamed.toString().contains("line 3\n"));
            poller = LivyPoller.start(livy, scala);

            // when: the gateway is killed mid-cell, and a new one starts on the same work directory and port
            first.kill();
            second = GatewayProcess.start(work, port, env, output);
            long listening = System.nanoTime();

            // then: both sessions are back, idle, within a bounded time
            LivyClient after = second.livy();
            after.awaitState(scala, "idle", Duration.ofSeconds(60));
            after.awaitState(python, "idle", Duration.ofSeconds(60));
            long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - listening);
            poller.stop();
            JsonNode cell = after.awaitStatement(scala, printing, Duration.ofSeconds(30));
            JsonNode pysparkJob = after.awaitStatement(python, job, Duration.ofSeconds(30));
            assertThat(cell.path("state").asText()).as("the cell that ran through the restart: %s", cell)
                    .isEqualTo("available");
            assertThat(lines(cell.path("output").path("data").path("text/plain").asText()))
                    .as("every line of the cell, once, in order").containsExactlyElementsOf(expectedLines());
            assertThat(pysparkJob.path("state").asText()).isEqualTo("available");
            assertThat(pysparkJob.path("output").path("data").path("text/plain").asText()).contains("total 28");

            // the stream client resumed on the new gateway and saw its cell complete, every line once
            StatementEvent.Finished finished = cellDone.get(60, TimeUnit.SECONDS);
            assertThat(finished.outcome()).isEqualTo(StatementEvent.Outcome.ok);
            assertThat(lines(streamed.toString())).containsExactlyElementsOf(expectedLines());
            stream.close();

            // the Kernel Gateway API lists the same kernel, on the same session
            assertThat(after.get("/api/kernels").body().findValuesAsText("id")).containsExactly(kernel);
            assertThat(after.get("/api/kernels/" + kernel).status()).isEqualTo(200);

            // variables are intact and statement ids continue
            JsonNode next = after.run(scala, "spark", "x + 1");
            assertThat(next.path("id").asInt()).isEqualTo(printing + 1);
            assertThat(next.path("output").path("data").path("text/plain").asText()).contains("42");
            assertThat(after.run(python, "pyspark", "print(y * 6)").path("output").path("data").path("text/plain")
                    .asText()).contains("42");
            int created = after.post("/sessions", Map.of("kind", "sql")).body().path("id").asInt();
            assertThat(created).as("a new session's id is never one of the recovered ones").isEqualTo(python + 1);
            assertThat(after.delete("/sessions/" + created).status()).isEqualTo(200);

            // a Livy client polling throughout saw only its sessions' states and refused connections
            assertThat(poller.seen()).as("what a Livy client saw during the restart (back after %d ms)", backMillis)
                    .isNotEmpty().allMatch(seen -> seen.matches("idle|busy|recovering|connection (refused|lost)"));
            assertThat(poller.seen()).contains("connection refused");

            // a forged driver link (a wrong secret, or another session's) is refused and logged
            String otherSecret = Files.readString(Path.of(record(work, python).path("driver").path("secretFile").asText()));
            assertThat(dialDriverLink(port, scala, "not-the-secret")).isEqualTo(401);
            assertThat(dialDriverLink(port, scala, otherSecret)).isEqualTo(401);
            assertThat(second.output()).contains("refused a driver link for session " + scala);
            assertThat(after.run(scala, "spark", "x").path("output").path("data").path("text/plain").asText())
                    .as("the real driver still serves its session").contains("41");
        } finally {
            if (poller != null) {
                poller.stop();
            }
            first.close();
            if (second != null) {
                second.close();
            }
            driverPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        assertThat(driverPids).as("the drivers stop with the gateway that was stopped (Ctrl-C, no keep option)")
                .allSatisfy(pid -> Await.until("driver " + pid + " gone", Duration.ofSeconds(30),
                        () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)));
    }

    private static List<String> expectedLines() {
        return IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList();
    }

    private static List<String> lines(String text) {
        return text.lines().filter(line -> line.startsWith("line ")).toList();
    }

    private static JsonNode record(Path work, int session) throws Exception {
        return Json.MAPPER.readTree(Files.readString(work.resolve("sessions").resolve(session + ".json")));
    }

    /** Dials {@code /driver/ID} as a driver would, with {@code secret}; the HTTP status of the refusal, or 101. */
    private static int dialDriverLink(int port, int session, String secret) {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + secret)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/driver/" + session), new WebSocket.Listener() { })
                    .join().abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }
}
