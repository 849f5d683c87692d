package dev.sparkgate.gateway;

import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.InterpreterAnswer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.StreamClient;
import dev.sparkgate.gateway.testing.TestGateway;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pyspark sessions through the gateway, on plain Python: CI has no PySpark, so the operator setting that allows a
 * Python session without Spark bindings is on here. {@link PySparkSessionTest} covers Spark from Python.
 */
class PythonSessionTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.pyspark).withPlainPython()
            .requires(OutsideTools.PYTHON3);
    private static LivyClient livy;
    private static int session;

    @BeforeAll
    static void clients() {
        livy = gateway.livy();
        session = gateway.session();
    }

    @Test
    void theLastExpressionIsTheResultAndStateIsKept() {
        livy.run(session, null, "def greet(name):\n    return 'hello, ' + name\n\nx = 20");

        JsonNode statement = livy.run(session, null, "greet('spark') + ' ' + str(x + 22)");

        assertThat(statement.path("output").path("data").path("text/plain").asText()).isEqualTo("'hello, spark 42'");
        assertThat(livy.get("/sessions/" + session).body().path("driver").path("pythonVersion").asText()).startsWith("3.");
    }

    @Test
    void printsStreamWhileTheCellRuns() {
        try (StreamClient stream = gateway.stream()) {
            int id = stream.execute(null, "import time\nfor i in range(4):\n    print('tick', i, flush=True)\n    time.sleep(0.3)");

            StreamClient.Arrival finished = stream.awaitFinished(id, Duration.ofSeconds(30));
            StreamClient.Arrival first = stream.await(u -> u instanceof StreamUpdate.Event e
                    && e.event() instanceof StatementEvent.Stream s && s.text().contains("tick 0"), Duration.ZERO);

            assertThat(Duration.ofNanos(finished.nanos() - first.nanos())).isGreaterThan(Duration.ofMillis(600));
        }
    }

    @Test
    void anErrorShowsTheUsersFramesOnly() {
        JsonNode output = livy.run(session, null, "def inner():\n    return 1 / 0\n\ninner()").path("output");

        assertThat(output.path("status").asText()).isEqualTo("error");
        assertThat(output.path("ename").asText()).as(output.toString()).isEqualTo("ZeroDivisionError");
        assertThat(output.path("traceback").toString()).contains("inner").doesNotContain("sparkgate_repl");
    }

    @Test
    void cancelInterruptsABusyLoopAndTheSessionGoesOn() {
        // Python is up, so the interrupt finds the loop running rather than a cell that has not started.
        livy.run(session, null, "'warm'");
        int id = livy.post("/sessions/" + session + "/statements", Map.of("code", "while True:\n    pass"))
                .body().path("id").asInt();
        livy.awaitState(session, "busy", Duration.ofSeconds(10));

        livy.post("/sessions/" + session + "/statements/" + id + "/cancel", "");

        JsonNode statement = livy.awaitStatement(session, id, Duration.ofSeconds(30));
        assertThat(statement.path("state").asText()).isEqualTo("cancelled");
        assertThat(statement.path("output").path("ename").asText()).isEqualTo("KeyboardInterrupt");
        assertThat(statement.path("output").path("traceback").toString()).as("where the cell stopped, as IPython shows")
                .contains("<cell").contains("while True");
        assertThat(livy.run(session, null, "'alive'").path("output").path("data").path("text/plain").asText())
                .isEqualTo("'alive'");
    }

    @Test
    void completionOffersPythonAttributes() {
        livy.run(session, null, "import os");

        JsonNode reply = livy.post("/sessions/" + session + "/completion",
                Map.of("code", "os.pa", "kind", "pyspark", "cursor", 5)).body();

        assertThat(reply.path("candidates").toString()).contains("path");
    }

    @Test
    void inspectOverTheStreamDocumentsTheNameAtTheCursor() {
        // given a documented function in the session
        livy.run(session, null, "def area(width, height):\n    \"\"\"Width times height.\"\"\"\n    return width * height");

        try (StreamClient stream = gateway.stream()) {
            // when a client asks about the name at the cursor, and about a name that does not exist
            int known = stream.nextRequestId();
            stream.request(new StreamRequest.Ask(known, new InterpreterQuestion.Inspect("area(2, ", 8, 0), null));
            int unknown = stream.nextRequestId();
            stream.request(new StreamRequest.Ask(unknown, new InterpreterQuestion.Inspect("nothing_here", 12, 0), null));

            // then the first comes back with its signature and docstring, the second as not found
            InterpreterAnswer.Inspection found = inspection(stream, known);
            InterpreterAnswer.Inspection missing = inspection(stream, unknown);
            assertThat(found.found()).isTrue();
            assertThat(found.text()).contains("Signature: area(width, height)", "Width times height.");
            assertThat(missing.found()).isFalse();
        }
    }

    private static InterpreterAnswer.Inspection inspection(StreamClient stream, int requestId) {
        StreamUpdate reply = stream.await(u -> u instanceof StreamUpdate.Answer a
                && a.requestId() == requestId, Duration.ofSeconds(20)).update();
        return (InterpreterAnswer.Inspection) ((StreamUpdate.Answer) reply).answer();
    }

    @Test
    void aPysparkSessionWithoutPySparkIsRefusedAtOnceWithWhatToSet() {
        try (TestGateway strict = TestGateway.start(Map.of("SPARKGATE_PYTHON", "/usr/bin/python3",
                "SPARK_HOME", "/nonexistent"))) {
            LivyClient client = strict.livy();
            int id = client.post("/sessions", Map.of("kind", "pyspark")).body().path("id").asInt();

            JsonNode failed = client.awaitState(id, "error", Duration.ofSeconds(30));

            // pip first, with the version of the driver's Spark; then a Spark home; then plain Python
            assertThat(failed.path("log").toString()).contains("has no PySpark")
                    .containsPattern("-m pip install pyspark==\\d+\\.\\d+\\.\\d+")
                    .containsSubsequence("pip install pyspark==", "SPARK_HOME", "SPARKGATE_PYTHON_WITHOUT_PYSPARK=true");
        }
    }
}
