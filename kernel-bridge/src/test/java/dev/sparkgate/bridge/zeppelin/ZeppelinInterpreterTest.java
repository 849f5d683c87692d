package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.bridge.testing.GatewayProcess;
import dev.sparkgate.bridge.zeppelin.ZeppelinInterpreterProcess.Paragraph;
import dev.sparkgate.testkit.OutsideTools;
import org.apache.zeppelin.interpreter.InterpreterResult.Code;
import org.apache.zeppelin.interpreter.InterpreterResult.Type;
import org.apache.zeppelin.interpreter.InterpreterResultMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code %sparkgate.spark}, {@code %sparkgate.sql} and {@code %sparkgate.pyspark} driven as Zeppelin's interpreter
 * process drives them ({@link ZeppelinInterpreterProcess}), against the real gateway jar. Most tests share one
 * Zeppelin session, and so one gateway session, as the notes of a shared interpreter setting do.
 */
class ZeppelinInterpreterTest {

    private static final String TOKEN = "zeppelin-token";
    /** The session Zeppelin runs every note in when the setting is shared. */
    private static final String SHARED = "shared_session";

    private static GatewayProcess gateway;
    private static GatewayClient client;
    private static ZeppelinInterpreterProcess zeppelin;

    @BeforeAll
    static void start() {
        // CI has no PySpark: pyspark statements run on plain Python, which the operator allows here.
        gateway = GatewayProcess.start(Map.of("SPARKGATE_TOKEN", TOKEN, "SPARKGATE_SQL_ROW_CAP", "5",
                "SPARKGATE_PYTHON", "/usr/bin/python3", "SPARKGATE_PYTHON_WITHOUT_PYSPARK", "true",
                "SPARK_HOME", "/nonexistent", "SPARKGATE_SPARK_CONF", "spark.sql.shuffle.partitions=4,sparkgate.sparkVersion=3.5"));
        client = new GatewayClient(gateway.uri(), TOKEN);
        zeppelin = new ZeppelinInterpreterProcess("sparkgate-shared_process", setting(gateway.uri().toString(), TOKEN));
        zeppelin.createSession(SHARED, "anonymous");
    }

    @AfterAll
    static void stop() {
        zeppelin.close();
        gateway.close();
    }

    /** The setting as a user leaves it after installing: defaults, with the gateway's address and token. */
    static Properties setting(String url, String token) {
        Properties setting = ZeppelinInterpreterProcess.defaults();
        setting.setProperty(SessionSettings.URL, url);
        setting.setProperty(SessionSettings.TOKEN, token);
        return setting;
    }

    @Test
    void scalaOutputReachesTheParagraphWhileItRuns() {
        Paragraph paragraph = zeppelin.run(SHARED, "spark", "ticks",
                "for (i <- 1 to 3) { println(s\"tick $i\"); Thread.sleep(700) }");

        RecordedOutput.Arrival first = paragraph.arrivals().stream()
                .filter(arrival -> arrival.text().contains("tick 1")).findFirst().orElseThrow();
        assertThat(paragraph.result().code()).isEqualTo(Code.SUCCESS);
        assertThat(paragraph.text()).isEqualTo("tick 1\ntick 2\ntick 3\n");
        assertThat(Duration.ofNanos(paragraph.endedNanos() - first.nanos())).isGreaterThan(Duration.ofMillis(1000));
    }

    @Test
    void scalaKeepsStateAndShowsValuesAsItsReplDoes() {
        zeppelin.run(SHARED, "spark", "define", "val answer = 40 + 2");

        Paragraph paragraph = zeppelin.run(SHARED, "spark", "use", "answer * 1");

        assertThat(paragraph.text()).matches("res\\d+: Int = 42\\n");
    }

    @Test
    void sqlResultsAreZeppelinTables() {
        Paragraph paragraph = zeppelin.run(SHARED, "sql", "query",
                "SELECT id, id * id AS square, CAST(NULL AS STRING) AS nothing, 'a\tb' AS tabbed FROM range(3)");

        assertThat(paragraph.result().code()).isEqualTo(Code.SUCCESS);
        assertThat(paragraph.messages()).extracting(InterpreterResultMessage::getType).containsExactly(Type.TABLE);
        assertThat(paragraph.ofType(Type.TABLE).get(0).getData()).isEqualTo(
                "id\tsquare\tnothing\ttabbed\n0\t0\tnull\ta b\n1\t1\tnull\ta b\n2\t4\tnull\ta b\n");
    }

    @Test
    void sqlRowsBeyondTheGatewaysCapComeWithZeppelinsTruncationNote() {
        Paragraph paragraph = zeppelin.run(SHARED, "sql", "capped", "SELECT * FROM range(100)");

        assertThat(paragraph.ofType(Type.TABLE).get(0).getData().lines()).hasSize(1 + 5);
        assertThat(paragraph.ofType(Type.HTML)).singleElement().extracting(InterpreterResultMessage::getData)
                .asString().contains("Output is truncated", "SPARKGATE_SQL_ROW_CAP");
    }

    @Test
    void aViewMadeInSqlIsSeenFromScala() {
        zeppelin.run(SHARED, "sql", "view", "CREATE OR REPLACE TEMPORARY VIEW numbers AS SELECT * FROM range(10)");

        Paragraph paragraph = zeppelin.run(SHARED, "spark", "count", "spark.table(\"numbers\").count()");

        assertThat(paragraph.text()).contains("Long = 10");
    }

    @Test
    void pythonPrintsAndItsRichOutputBecomesHtmlAndImages() {
        OutsideTools.PYTHON3.require();
        Paragraph printed = zeppelin.run(SHARED, "pyspark", "python", "print('hello from python')\n6 * 7");
        Paragraph rich = zeppelin.run(SHARED, "pyspark", "python-rich", String.join("\n",
                "display({'text/html': '<b>bold</b>'}, raw=True)",
                "display({'image/png': 'iVBORw0KGgo='}, raw=True)",
                "display({'text/html': '<i>first</i>'}, raw=True, display_id='status')",
                "display({'text/html': '<i>second</i>'}, raw=True, display_id='status')"));

        assertThat(printed.result().code()).isEqualTo(Code.SUCCESS);
        assertThat(printed.text()).isEqualTo("hello from python\n42\n");
        assertThat(rich.messages()).extracting(InterpreterResultMessage::getType)
                .containsExactly(Type.HTML, Type.IMG, Type.HTML);
        assertThat(rich.messages()).extracting(InterpreterResultMessage::getData)
                .containsExactly("<b>bold</b>", "iVBORw0KGgo=", "<i>second</i>");
    }

    @Test
    void progressIsReportedWhileTheParagraphsSparkJobsRun() throws Exception {
        CompletableFuture<Paragraph> running = zeppelin.start(SHARED, "spark", "progress",
                "sc.parallelize(1 to 80, 16).map { x => Thread.sleep(50); x }.sum");

        List<Integer> seen = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(120);
        while (!running.isDone()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the paragraph did not finish within 120 s; progress seen: " + seen);
            }
            seen.add(zeppelin.progress(SHARED, "spark", "progress"));
            Thread.sleep(100);
        }

        assertThat(seen).anyMatch(percent -> percent > 0 && percent < 100);
        assertThat(running.join().text()).contains("Double = 3240.0");
    }

    @Test
    void cancelEndsTheParagraphAndTheSessionGoesOn() throws Exception {
        // Many short tasks: progress counts finished tasks, and the first finishes after a second.
        CompletableFuture<Paragraph> running = zeppelin.start(SHARED, "spark", "long",
                "sc.parallelize(1 to 1000, 100).map { x => Thread.sleep(100); x }.count()");
        awaitProgress("long");

        zeppelin.cancel(SHARED, "spark", "long");
        Paragraph cancelled = running.get(30, TimeUnit.SECONDS);

        assertThat(cancelled.result().code()).isEqualTo(Code.ERROR);
        assertThat(cancelled.result().message().get(0).getData()).contains("cancelled");
        assertThat(zeppelin.run(SHARED, "sql", "after-cancel", "SELECT 1 AS one").ofType(Type.TABLE)).hasSize(1);
    }

    @Test
    void completionOffersScalaMembersAndSqlKeywords() throws Exception {
        zeppelin.run(SHARED, "spark", "before-completion", "val completeMe = Seq(1, 2, 3)");

        assertThat(zeppelin.complete(SHARED, "spark", "completeMe.su", 13)).contains("sum");
        assertThat(zeppelin.complete(SHARED, "sql", "SEL", 3)).contains("SELECT");
    }

    @Test
    void anErrorIsTheParagraphsErrorWithTheUsersFrames() {
        OutsideTools.PYTHON3.require();
        Paragraph scala = zeppelin.run(SHARED, "spark", "scala-error",
                "def boom(): Int = throw new IllegalStateException(\"no way\")\nboom()");
        Paragraph python = zeppelin.run(SHARED, "pyspark", "python-error", "def inner():\n    return 1 / 0\n\ninner()");

        assertThat(scala.result().code()).isEqualTo(Code.ERROR);
        assertThat(scala.result().message().get(0).getData())
                .startsWith("java.lang.IllegalStateException: no way\n").contains("boom");
        assertThat(python.result().code()).isEqualTo(Code.ERROR);
        assertThat(python.result().message().get(0).getData()).contains("ZeroDivisionError", "inner");
    }

    @Test
    void aNoteScopedSessionIsTheNotesOwnAndClosingItDeletesIt() throws Exception {
        // given a setting that is scoped per note: Zeppelin gives the note a session of its own
        zeppelin.createSession("note-scoped", "anonymous");
        zeppelin.run(SHARED, "spark", "shared-value", "val sharedOnly = 1");

        Paragraph own = zeppelin.run("note-scoped", "spark", "scoped-scala", "val notesOwn = 2");
        Paragraph sql = zeppelin.run("note-scoped", "sql", "scoped-sql", "SELECT 1 AS one");
        Paragraph unseen = zeppelin.run("note-scoped", "spark", "scoped-unseen", "sharedOnly");
        Integer noteSession = zeppelin.unwrapped("note-scoped", "spark").gatewaySessionId();

        assertThat(own.result().code()).isEqualTo(Code.SUCCESS);
        assertThat(noteSession).isNotNull()
                .isNotEqualTo(zeppelin.unwrapped(SHARED, "spark").gatewaySessionId())
                .isEqualTo(zeppelin.unwrapped("note-scoped", "sql").gatewaySessionId());
        assertThat(sql.ofType(Type.TABLE)).hasSize(1);
        assertThat(unseen.result().code()).isEqualTo(Code.ERROR);

        zeppelin.closeSession("note-scoped");

        assertThat(client.findSession(String.valueOf(noteSession))).isNull();
    }

    @Test
    void aParagraphWhoseDriverDiesFailsClearlyAndTheNextOneRunsInANewSession() throws Exception {
        zeppelin.run(SHARED, "spark", "alive", "1");
        int doomed = zeppelin.unwrapped(SHARED, "spark").gatewaySessionId();
        CompletableFuture<Paragraph> running = zeppelin.start(SHARED, "spark", "doomed", "Thread.sleep(60000)");
        awaitState(doomed, "busy");

        ProcessHandle.of(client.session(String.valueOf(doomed)).driver().pid()).orElseThrow().destroyForcibly();
        Paragraph died = running.get(30, TimeUnit.SECONDS);
        Paragraph next = zeppelin.run(SHARED, "sql", "after-death", "SELECT 2 AS two");

        assertThat(died.result().code()).isEqualTo(Code.ERROR);
        assertThat(died.result().message().get(0).getData()).contains("driver");
        assertThat(next.result().code()).isEqualTo(Code.SUCCESS);
        assertThat(next.ofType(Type.HTML)).singleElement().extracting(InterpreterResultMessage::getData).asString()
                .contains("Sparkgate session " + doomed + " has ended (dead)", "new session");
        assertThat(next.ofType(Type.TABLE)).hasSize(1);
        assertThat(zeppelin.unwrapped(SHARED, "sql").gatewaySessionId()).isNotEqualTo(doomed);
    }

    @Test
    void anUnreachableGatewayAWrongUrlAndAWrongTokenAreParagraphErrorsNamingTheSetting() {
        Paragraph unreachable = runOnce(setting("http://127.0.0.1:9", TOKEN));
        Paragraph notAnAddress = runOnce(setting("localhost:8998", TOKEN));
        Paragraph wrongToken = runOnce(setting(gateway.uri().toString(), "not-the-token"));

        assertThat(unreachable.result().code()).isEqualTo(Code.ERROR);
        assertThat(unreachable.result().message().get(0).getData())
                .contains("Cannot reach the Sparkgate gateway at http://127.0.0.1:9", SessionSettings.URL);
        assertThat(notAnAddress.result().message().get(0).getData())
                .contains(SessionSettings.URL, "'localhost:8998'", "http");
        assertThat(wrongToken.result().code()).isEqualTo(Code.ERROR);
        assertThat(wrongToken.result().message().get(0).getData())
                .contains("refused the token", SessionSettings.TOKEN);
    }

    /** A paragraph in a fresh interpreter process with this setting. */
    private static Paragraph runOnce(Properties setting) {
        try (ZeppelinInterpreterProcess process = new ZeppelinInterpreterProcess("sparkgate-other", setting)) {
            process.createSession(SHARED, "anonymous");
            return process.run(SHARED, "sql", "first", "SELECT 1");
        }
    }

    private static void awaitProgress(String paragraphId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (zeppelin.progress(SHARED, "spark", paragraphId) == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("paragraph " + paragraphId + " reported no progress within 120 s");
            }
            Thread.sleep(100);
        }
    }

    private static void awaitState(int sessionId, String state) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!client.session(String.valueOf(sessionId)).state().name().equals(state)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("session " + sessionId + " not " + state + " within 30 s; it is "
                        + client.session(String.valueOf(sessionId)).state());
            }
            Thread.sleep(100);
        }
    }
}
