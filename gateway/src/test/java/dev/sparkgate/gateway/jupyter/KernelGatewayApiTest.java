package dev.sparkgate.gateway.jupyter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.StalledWebSocketClient;
import dev.sparkgate.jupyter.JupyterMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kernel Gateway API against a real gateway with real drivers: kernelspecs, kernels as sessions, and the channels
 * WebSocket as Jupyter Server relays it. Two kernels (SQL and Scala) serve every test; the last one restarts and
 * deletes the SQL kernel.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelGatewayApiTest {

    private static final Duration CELL = Duration.ofSeconds(60);

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession()
            .with("SPARKGATE_STREAM_CLIENT_BACKLOG_MIB", "4");
    private static LivyClient http;
    private static String sqlKernel;
    private static String scalaKernel;

    /** The kernels are sessions too, started as Jupyter Server starts them: through the Kernel Gateway API. */
    @BeforeAll
    static void startKernels() {
        http = gateway.livy();
        sqlKernel = startKernel("sparkgate_sql", Map.of("KERNEL_USERNAME", "alice"));
        scalaKernel = startKernel("sparkgate_scala", Map.of());
        awaitKernelState(sqlKernel, "idle");
        awaitKernelState(scalaKernel, "idle");
    }

    @Test
    void kernelspecsOfferPySparkScalaAndSqlWithTheirLanguages() {
        JsonNode specs = http.get("/api/kernelspecs").body();

        assertThat(specs.path("default").asText()).isEqualTo("sparkgate_pyspark");
        assertThat(specs.path("kernelspecs").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("sparkgate_pyspark", "sparkgate_scala", "sparkgate_sql");
        JsonNode scala = http.get("/api/kernelspecs/sparkgate_scala").body();
        assertThat(scala.path("spec").path("language").asText()).isEqualTo("scala");
        assertThat(scala.path("spec").path("display_name").asText()).isEqualTo("Scala on Sparkgate");
        String logo = scala.path("resources").path("logo-svg").asText();
        assertThat(logo).isEqualTo("/kernelspecs/sparkgate_scala/logo-svg.svg");
    }

    @Test
    void unknownKernelsAndKernelspecsAreRefusedTheWayJupyterReadsIt() {
        LivyClient.Reply spec = http.get("/api/kernelspecs/python3");
        LivyClient.Reply kernel = http.get("/api/kernels/00000000-0000-0000-0000-000000000000");
        LivyClient.Reply start = http.post("/api/kernels", Map.of("name", "ir"));

        assertThat(spec.status()).isEqualTo(404);
        assertThat(spec.body().path("message").asText()).contains("sparkgate_pyspark, sparkgate_scala, sparkgate_sql");
        assertThat(kernel.status()).isEqualTo(404);
        assertThat(start.status()).isEqualTo(404);
    }

    @Test
    void aKernelIsASessionInTheLivyApiOwnedByTheKernelUser() {
        JsonNode session = http.get("/sessions/" + sqlKernel).body();
        JsonNode kernels = http.get("/api/kernels").body();

        assertThat(session.path("kind").asText()).isEqualTo("sql");
        assertThat(session.path("owner").asText()).isEqualTo("alice");
        assertThat(kernels.findValuesAsText("id")).contains(sqlKernel, scalaKernel);
        JsonNode model = http.get("/api/kernels/" + sqlKernel).body();
        assertThat(model.path("name").asText()).isEqualTo("sparkgate_sql");
        assertThat(model.path("last_activity").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    }

    @Test
    void aCellRunsOverTheChannelsAndItsTableIsShownAsHtml() {
        try (ChannelsClient channels = ChannelsClient.connect(gateway.baseUri(), sqlKernel)) {
            JupyterMessage info = channels.request("shell", "kernel_info_request", Map.of());
            JupyterMessage execute = channels.execute("SELECT id, id * id AS square FROM range(3)");

            channels.awaitIdle(info, CELL);
            assertThat(map(channels.reply(info).content().get("language_info"))).containsEntry("name", "sql");
            List<JupyterMessage> messages = channels.awaitIdle(execute, CELL);
            assertThat(messages).extracting(JupyterMessage::msgType).containsSubsequence("status", "execute_input",
                    "execute_result", "execute_reply", "status");
            JupyterMessage result = messages.stream().filter(m -> m.msgType().equals("execute_result")).findFirst()
                    .orElseThrow();
            assertThat(result.channel()).isEqualTo("iopub");
            assertThat(map(result.content().get("data"))).containsKeys("text/plain", "text/html");
            assertThat(channels.reply(execute).content()).containsEntry("status", "ok");
        }
    }

    @Test
    void anErrorIsOneErrorMessageAndAnErrorReply() {
        try (ChannelsClient channels = ChannelsClient.connect(gateway.baseUri(), sqlKernel)) {
            JupyterMessage execute = channels.execute("SELECT * FROM no_such_table");

            List<JupyterMessage> outputs = channels.awaitIdle(execute, CELL).stream()
                    .filter(m -> m.channel().equals("iopub") && !m.msgType().equals("status")
                            && !m.msgType().equals("execute_input")).toList();
            assertThat(outputs).singleElement().satisfies(error -> {
                assertThat(error.msgType()).isEqualTo("error");
                assertThat(error.content().get("ename")).isEqualTo("AnalysisException");
                assertThat((List<?>) error.content().get("traceback")).isNotEmpty();
            });
            assertThat(channels.reply(execute).content()).containsEntry("status", "error");
        }
    }

    @Test
    void aSparkJobShowsAProgressBarThatIsUpdatedInPlace() {
        try (ChannelsClient channels = ChannelsClient.connect(gateway.baseUri(), scalaKernel)) {
            JupyterMessage execute = channels.execute("sc.parallelize(1 to 40, 8).map { x => Thread.sleep(100); x }.sum");

            List<JupyterMessage> messages = channels.awaitIdle(execute, CELL);
            JupyterMessage bar = messages.stream().filter(m -> m.msgType().equals("display_data")).findFirst()
                    .orElseThrow(() -> new AssertionError("no progress bar in " + messages));
            Object displayId = map(bar.content().get("transient")).get("display_id");
            assertThat(displayId).isNotNull();
            assertThat(messages).filteredOn(m -> m.msgType().equals("update_display_data")).isNotEmpty()
                    .allSatisfy(update -> assertThat(map(update.content().get("transient")).get("display_id"))
                            .isEqualTo(displayId));
            assertThat(map(bar.content().get("data"))).containsKeys("text/html", "text/plain");
            assertThat(messages).extracting(JupyterMessage::msgType).containsSubsequence("display_data",
                    "update_display_data", "execute_result", "execute_reply");
        }
    }

    @Test
    void anInterruptThroughTheRestApiCancelsTheRunningCell() {
        try (ChannelsClient channels = ChannelsClient.connect(gateway.baseUri(), scalaKernel)) {
            JupyterMessage execute = channels.execute("Thread.sleep(120000)");
            channels.await(m -> m.msgType().equals("execute_input")
                    && execute.msgId().equals(m.parentHeader().get("msg_id")), CELL);
            awaitKernelState(scalaKernel, "busy");

            LivyClient.Reply interrupted = http.post("/api/kernels/" + scalaKernel + "/interrupt", "{}");

            assertThat(interrupted.status()).isEqualTo(204);
            channels.awaitIdle(execute, Duration.ofSeconds(30));
            assertThat(channels.reply(execute).content()).containsEntry("status", "error");
        }
    }

    @Test
    void aChannelsClientThatStopsReadingIsCutOffWhileTheOthersReceiveEverything() throws Exception {
        try (StalledWebSocketClient stalled = StalledWebSocketClient.connect(gateway.baseUri(),
                "/api/kernels/" + scalaKernel + "/channels?session_id=" + UUID.randomUUID());
             ChannelsClient reading = ChannelsClient.connect(gateway.baseUri(), scalaKernel)) {
            // 24 MB printed: past the stalled client's socket buffers plus the 4 MiB this gateway lets a client leave
            // unread, in three cells, each within the 8 MiB a statement may print
            List<JupyterMessage> cells = new ArrayList<>();
            for (int cell = 0; cell < 3; cell++) {
                cells.add(reading.execute("for (i <- 1 to 8) { print(\"x\" * 1000000) }"));
            }

            long printed = 0;
            for (JupyterMessage cell : cells) {
                printed += reading.awaitIdle(cell, Duration.ofSeconds(120)).stream()
                        .filter(m -> m.msgType().equals("stream"))
                        .mapToLong(m -> String.valueOf(m.content().get("text")).length()).sum();
            }
            StalledWebSocketClient.Ending ending = stalled.drain(10_000);

            assertThat(printed).as("what the reading client was sent").isEqualTo(24_000_000);
            assertThat(ending.code()).as("the stalled client's close frame").isEqualTo(1008);
            assertThat(ending.reason()).contains("too slow").contains("reconnect");
            assertThat(ending.payloadBytesRead()).isLessThan(24_000_000);
            stalled.close();
            Await.value("the kernel's connections once the stalled client is gone (the reading one stays)",
                    Duration.ofSeconds(10),
                    () -> http.get("/api/kernels/" + scalaKernel).body().path("connections").asInt(), n -> n == 1);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aRestartGivesTheKernelAFreshSessionAndADeleteEndsIt() {
        int before = http.get("/sessions/" + sqlKernel).body().path("id").asInt();

        LivyClient.Reply restarted = http.post("/api/kernels/" + sqlKernel + "/restart", "{}");

        assertThat(restarted.status()).isEqualTo(200);
        assertThat(restarted.body().path("id").asText()).isEqualTo(sqlKernel);
        int after = http.get("/sessions/" + sqlKernel).body().path("id").asInt();
        assertThat(after).isNotEqualTo(before);
        assertThat(http.get("/sessions/" + before).status()).isEqualTo(404);
        try (ChannelsClient channels = ChannelsClient.connect(gateway.baseUri(), sqlKernel)) {
            JupyterMessage execute = channels.execute("SELECT 1 AS one");
            channels.awaitIdle(execute, CELL);
            assertThat(channels.reply(execute).content()).containsEntry("status", "ok")
                    .containsEntry("execution_count", 1);
        }

        assertThat(http.delete("/api/kernels/" + sqlKernel).status()).isEqualTo(204);
        assertThat(http.get("/api/kernels/" + sqlKernel).status()).isEqualTo(404);
        assertThat(http.get("/sessions/" + after).status()).isEqualTo(404);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object json) {
        return (Map<String, Object>) json;
    }

    private static String startKernel(String name, Map<String, String> env) {
        LivyClient.Reply started = http.post("/api/kernels", Map.of("name", name, "env", env));
        assertThat(started.status()).as("start %s: %s", name, started.body()).isEqualTo(201);
        return started.body().path("id").asText();
    }

    private static void awaitKernelState(String kernel, String state) {
        Await.value("kernel " + kernel + " " + state, Duration.ofSeconds(120),
                () -> http.get("/api/kernels/" + kernel).body().path("execution_state").asText(), state::equals);
    }
}
