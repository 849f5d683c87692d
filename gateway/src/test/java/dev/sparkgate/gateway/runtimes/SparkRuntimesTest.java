package dev.sparkgate.gateway.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.StreamClient;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statement suites (Scala, SQL, cancel, progress, completion) on each driver runtime the gateway carries, on the
 * embedded default: one gateway, one shared session per runtime. The 3.5 session asks for its line with the session
 * conf sparkgate.sparkVersion; the 4.1 one asks for nothing and gets the newest, the default.
 * Python on each runtime needs that line's PySpark tree: see {@link PySparkRuntimesTest}.
 */
class SparkRuntimesTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession()
            // without TestGateway's pin to 3.5: this gateway's default is the product's, the newest runtime
            .with("SPARKGATE_SPARK_CONF", "spark.ui.enabled=true,spark.sql.shuffle.partitions=4");
    private static final String NEWEST = "4.1";

    private static final Map<String, Integer> SESSIONS = new ConcurrentHashMap<>();

    /** The idle shared session of {@code line}, created on first use: one driver per runtime for the class. */
    private static int session(String line) {
        return SESSIONS.computeIfAbsent(line, l -> livy().createIdleSession(l.equals(NEWEST) ? Map.of("kind", "shared")
                : Map.of("kind", "shared", "conf", Map.of("sparkgate.sparkVersion", l))));
    }

    private static LivyClient livy() {
        return gateway.livy();
    }

    private static JsonNode run(String line, String kind, String code) {
        return livy().run(session(line), kind, code).path("output");
    }

    private static String text(JsonNode output) {
        assertThat(output.path("status").asText()).as(output.toString()).isEqualTo("ok");
        return output.path("data").path("text/plain").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5", "4.1"})
    void theDriverRunsTheSparkAndScalaOfItsRuntime(String line) {
        // given a session that asked for the line (3.5), or for none (4.1, the default)
        JsonNode session = livy().get("/sessions/" + session(line)).body();

        // then its driver runs that Spark, on that line's Scala, and the session JSON says which
        assertThat(session.path("driver").path("sparkVersion").asText()).startsWith(line + ".");
        assertThat(session.path("conf").path("sparkgate.sparkVersion").asText()).isEqualTo(line);
        assertThat(text(run(line, "spark", "scala.util.Properties.versionNumberString")))
                .contains(line.equals("3.5") ? "2.12." : "2.13.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5", "4.1"})
    void closuresAndClassesDefinedInCellsRunInTasks(String line) {
        // given a case class and a function defined in cells (classes the executors load from the REPL's directory)
        run(line, "spark", "case class Reading(sensor: String, value: Int)");
        run(line, "spark", "def scaled(r: Reading): Int = r.value * 10");

        // when a job's tasks use them
        String out = text(run(line, "spark", "sc.parallelize(Seq(Reading(\"a\", 1), Reading(\"b\", 2)), 2)"
                + ".map(scaled).reduce(_ + _)"));

        // then they ran
        assertThat(out).contains("Int = 30");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5", "4.1"})
    void aScalaCellHasTheNamesAndImportsOfSparksShell(String line) {
        // when a cell uses spark, sc and what Spark's shell imports: its implicits, sql and the SQL functions
        String out = text(run(line, "spark", "Seq(1, 2, 3).toDF(\"n\").select(sum($\"n\")).first.getLong(0)"
                + " + sql(\"SELECT 1\").count + spark.range(sc.defaultParallelism).count * 0"));

        // then they are all there, as in spark-shell
        assertThat(out).contains("Long = 7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5", "4.1"})
    void scalaCompileErrorsAndExceptionsReadClearly(String line) {
        JsonNode compile = run(line, "spark", "val x: Int = \"text\"");
        JsonNode thrown = run(line, "spark", "def boom(): Int = throw new IllegalStateException(\"no way\")\nboom()");

        assertThat(compile.path("status").asText()).isEqualTo("error");
        assertThat(compile.path("ename").asText()).isEqualTo("CompileError");
        assertThat(compile.path("evalue").asText()).isEqualTo("type mismatch;");
        assertThat(thrown.path("ename").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(thrown.path("evalue").asText()).isEqualTo("no way");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5", "4.1"})
    void sqlResultsAndErrors(String line) {
        JsonNode table = run(line, "sql", "SELECT id, id * 2 AS twice FROM range(3) ORDER BY id");
        JsonNode divide = run(line, "sql", "SELECT 1 / 0 AS x");

        assertThat(table.path("data").path("application/json").path("data").toString()).isEqualTo("[[0,0],[1,2],[2,4]]");
        if (line.equals("3.5")) {
            // Spark 3.5 is not ANSI by default: a division by zero is NULL
            assertThat(divide.path("data").path("application/json").path("data").toString()).isEqualTo("[[null]]");
        } else {
            // Spark 4 is ANSI by default: the error names its condition and how to get 3.5's behaviour back
            assertThat(divide.path("status").asText()).isEqualTo("error");
            assertThat(divide.path("evalue").asText()).contains("DIVIDE_BY_ZERO").contains("try_divide");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5", "4.1"})
    void progressCancelAndCompletionOverTheStream(String line) {
        try (StreamClient stream = gateway.stream(session(line))) {
            // a job reports progress
            int job = stream.execute("spark", "sc.parallelize(1 to 4, 4).map { i => Thread.sleep(300); i }.sum");
            stream.awaitFinished(job, Duration.ofSeconds(60));
            assertThat(stream.events(job)).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                    StatementEvent.Progress.class, p -> assertThat(p.jobs()).isNotEmpty()));

            // a running job is cancelled
            int id = stream.execute("spark", "sc.parallelize(1 to 2, 2).map { i => Thread.sleep(60000); i }.sum");
            stream.await(u -> u instanceof StreamUpdate.Event e && e.event() instanceof StatementEvent.Progress
                    && e.event().statementId() == id, Duration.ofSeconds(30));
            stream.request(new StreamRequest.Cancel(stream.nextRequestId(), id));
            StreamUpdate finished = stream.awaitFinished(id, Duration.ofSeconds(30)).update();
            assertThat(((StatementEvent.Finished) ((StreamUpdate.Event) finished).event()).outcome())
                    .isEqualTo(StatementEvent.Outcome.cancelled);

            // and completion answers
            int completion = stream.nextRequestId();
            stream.request(new StreamRequest.Ask(completion, new InterpreterQuestion.Complete("spark.rang", 10), "spark"));
            StreamUpdate candidates = stream.await(u -> u instanceof StreamUpdate.Answer a
                    && a.requestId() == completion, Duration.ofSeconds(15)).update();
            assertThat(((StreamUpdate.Answer) candidates).answer()).isInstanceOfSatisfying(
                    InterpreterAnswer.Completions.class, c -> assertThat(c.candidates()).contains("range"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5", "4.1"})
    void cancelStopsTheJobsOfACellThatSetItsOwnJobGroup(String line) {
        try (StreamClient stream = gateway.stream(session(line))) {
            // given a cell that replaces the statement's job group with its own (whose tasks may be interrupted, so a
            // cancelled job frees its task slots for the tests after this one), then runs a long job
            int id = stream.execute("spark", "sc.setJobGroup(\"mine-" + line + "\", \"the user's own group\", true)\n"
                    + "sc.parallelize(1 to 2, 2).map { i => Thread.sleep(60000); i }.sum");
            stream.await(u -> u instanceof StreamUpdate.Event e && e.event() instanceof StatementEvent.Progress p
                    && p.statementId() == id && !p.jobs().isEmpty(), Duration.ofSeconds(30));

            // when it is cancelled
            stream.request(new StreamRequest.Cancel(stream.nextRequestId(), id));
            stream.awaitFinished(id, Duration.ofSeconds(30));
        }

        // then its job was cancelled too (through the statement's job tag), not left running on the executors
        String status = text(run(line, "spark", "sc.statusTracker.getJobIdsForGroup(\"mine-" + line + "\")"
                + ".map(j => sc.statusTracker.getJobInfo(j).get.status.toString).mkString(\",\")"));
        assertThat(status).contains("FAILED").doesNotContain("RUNNING");
    }

    @Test
    void aLineNoRuntimeServesIsRefusedWithTheLinesThereAre() {
        LivyClient.Reply refused = livy().post("/sessions", Map.of("kind", "spark",
                "conf", Map.of("sparkgate.sparkVersion", "3.4")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.msg()).contains("'3.4'").contains("3.5 (Spark 3.5.6)").contains("4.1 (Spark 4.1.1)");
    }
}
