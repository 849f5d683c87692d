package dev.sparkgate.gateway.zeppelin;

import dev.sparkgate.testkit.OutsideTools;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.zeppelin.ZeppelinLivyClient.Exchange;
import dev.sparkgate.gateway.zeppelin.ZeppelinLivyJson.SessionInfo;
import dev.sparkgate.gateway.zeppelin.ZeppelinLivyJson.StatementInfo;
import dev.sparkgate.protocol.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.sparkgate.gateway.zeppelin.ShowGrid.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Zeppelin's own Livy interpreter ({@code %livy.spark}, {@code %livy.pyspark}, {@code %livy.sql}, Zeppelin 0.11)
 * against the gateway, with only {@code zeppelin.livy.url} changed. That interpreter is not published, so these
 * tests replay the requests it sends, in its order and with its timing, and read the answers with its field types
 * ({@link ZeppelinLivyJson}) and, for {@code %livy.sql}, its parsing of Spark's {@code show()} grid ({@link ShowGrid}).
 *
 * <p>Against Livy 0.5 or later Zeppelin shares one session of kind {@code shared} among its three interpreters and
 * tags each statement with its kind, so one shared session serves them all here.
 */
class ZeppelinLivyInterpreterTest {

    /** What Zeppelin sends for its default interpreter setting, plus resource fields a user added (as strings). */
    private static final Properties ZEPPELIN_PROPERTIES = new Properties();

    static {
        ZEPPELIN_PROPERTIES.putAll(Map.of(
                "zeppelin.livy.url", "set per test",
                "zeppelin.livy.session.create_timeout", "120",
                "zeppelin.livy.displayAppInfo", "true",
                "livy.spark.driver.cores", "",
                "livy.spark.executor.memory", "",
                "livy.spark.dynamicAllocation.enabled", "false",
                "livy.spark.sql.shuffle.partitions", "4",
                "livy.driverMemory", "768m",
                "livy.numExecutors", "1"));
    }

    /** CI has no PySpark: %livy.pyspark statements run on plain Python, which the operator allows here. */
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().withPlainPython();
    private static ZeppelinLivyClient zeppelin;
    private static String livyVersion;
    private static SessionInfo session;
    private static List<Exchange> opening;

    /** The session is Zeppelin's to create: how it opens one is under test. */
    @BeforeAll
    static void openAsZeppelinDoes() {
        zeppelin = new ZeppelinLivyClient(gateway.baseUri());
        livyVersion = zeppelin.version().version();
        session = zeppelin.createSession(ZEPPELIN_PROPERTIES, "alice", "shared");
        opening = zeppelin.exchanges();
    }

    @Test
    void openingAsksTheVersionCreatesASharedSessionAndPollsItOnceASecondUntilIdle() {
        assertThat(opening.get(0)).hasToString("GET /version -> 200");
        assertThat(opening.get(1)).hasToString("POST /sessions -> 201");
        List<Exchange> polls = opening.subList(2, opening.size());
        assertThat(polls).isNotEmpty().allSatisfy(poll -> assertThat(poll)
                .hasToString("GET /sessions/" + session.id() + " -> 200"));
        assertThat(polls.get(0).atMillis() - opening.get(1).atMillis()).isGreaterThanOrEqualTo(1000);
        assertThat(livyNumber(livyVersion)).as("shared sessions, cancel and progress need Livy 0.5")
                .isGreaterThanOrEqualTo(500);
        assertThat(session.kind()).isEqualTo("shared");
        assertThat(session.proxyUser()).isEqualTo("alice");
    }

    @Test
    void anIdleSessionNamesItsApplicationAndSparkUiSoZeppelinRunsNoFollowUpStatements() {
        // Without them Zeppelin would ask the session: for the UI through SparkUI.appUIAddress(), which Spark 3 no
        // longer has, so that statement fails on any Livy. The session has to say both.
        assertThat(session.appId()).isNotBlank();
        assertThat(session.appInfo().get("sparkUiUrl")).startsWith("http://").endsWith("/ui/");
        assertThat(session.log()).isNotNull();
        assertThat(zeppelin.log(session.id(), 1000).log()).isNotEmpty();
    }

    @Test
    void theApplicationIdFollowUpStatementFindsTheSameApplication() {
        // Zeppelin's LivySparkInterpreter.extractAppId, for a session that does not name its application.
        StatementInfo statement = zeppelin.run(session.id(), "sc.applicationId", "spark");

        assertThat(afterEquals(statement)).isEqualTo(session.appId());
    }

    @Test
    void livySqlFindsASparkSessionThenReadsSparksShowGridAsATable() {
        StatementInfo probe = zeppelin.run(session.id(), "spark", "spark");
        StatementInfo query = zeppelin.run(session.id(), "spark.sql(\"\"\""
                + "SELECT * FROM VALUES (1, 'plain', CAST(NULL AS STRING), 2.5D), "
                + "(2, 'a value longer than twenty characters', 'x y', -1.0D), (3, '数据', '', 0.0D) "
                + "AS t(id, text, maybe, score)"
                + "\"\"\").show(1000, true)", "spark");

        assertThat(probe.output().data().plainText()).contains("org.apache.spark.sql.SparkSession");
        assertThat(ShowGrid.parse(query.output().data().plainText())).containsExactly(
                row("id", "text", "maybe", "score"),
                row("1", "plain", "NULL", "2.5"),
                row("2", "a value longer th...", "x y", "-1.0"),
                row("3", "数据", "", "0.0"));
    }

    @Test
    void livySqlKeepsTheTopRowsOfALongResultAndTheHeaderOfAnEmptyOne() {
        StatementInfo top = zeppelin.run(session.id(), "spark.sql(\"\"\"SELECT id FROM range(10)\"\"\").show(3, true)",
                "spark");
        StatementInfo empty = zeppelin.run(session.id(),
                "spark.sql(\"\"\"SELECT 1 AS n WHERE false\"\"\").show(1000, true)", "spark");

        assertThat(top.output().data().plainText()).contains("only showing top 3 rows");
        assertThat(ShowGrid.parse(top.output().data().plainText()))
                .containsExactly(row("id"), row("0"), row("1"), row("2"));
        assertThat(ShowGrid.parse(empty.output().data().plainText())).containsExactly(row("n"));
    }

    @Test
    void livyPysparkStatementsRunInTheSameSharedSession() {
        OutsideTools.PYTHON3.require();
        StatementInfo printed = zeppelin.run(session.id(), "import sys\nprint(1 + 1)\nprint('to stderr', file=sys.stderr)",
                "pyspark");
        StatementInfo value = zeppelin.run(session.id(), "'ab' * 2", "pyspark");

        assertThat(printed.output().status()).isEqualTo("ok");
        assertThat(printed.output().data().plainText()).contains("2\n");
        assertThat(value.output().data().plainText()).isEqualTo("'abab'");
    }

    @Test
    void progressIsSeenWhilePollingAndCancelEndsTheStatementAsCancelled() {
        StatementInfo submitted = zeppelin.submit(session.id(),
                "sc.parallelize(1 to 400, 40).map { x => Thread.sleep(100); x }.count()", "spark");
        StatementInfo running = pollUntil(submitted, s -> s.progress() > 0.0);

        Exchange cancelled = zeppelin.cancel(session.id(), submitted.id());
        List<StatementInfo> seen = zeppelin.await(session.id(), running);

        assertThat(running.progress()).isGreaterThan(0.0).isLessThan(1.0);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(seen.get(seen.size() - 1).state()).isEqualTo("cancelled");
        assertThat(zeppelin.run(session.id(), "6 * 7", "spark").output().data().plainText()).contains("42");
    }

    @Test
    void completionAnswersWithCandidatesAsStrings() {
        String[] candidates = zeppelin.complete(session.id(), "sc.paral", "spark", 8).candidates();

        assertThat(candidates).contains("parallelize");
    }

    @Test
    void anErrorGivesZeppelinTheMessageAndTracebackItShows() {
        StatementInfo failed = zeppelin.run(session.id(),
                "def boom(): Int = throw new IllegalStateException(\"no way\")\nboom()", "spark");

        assertThat(failed.state()).isEqualTo("available");
        assertThat(failed.output().isError()).isTrue();
        assertThat(failed.output().evalue()).isEqualTo("no way");
        assertThat(String.join("", failed.output().traceback())).contains("boom");
    }

    @Test
    void aDeadSessionIsAnsweredAsZeppelinRestartsItAndADeletedOneAsZeppelinRecreatesIt() throws Exception {
        SessionInfo doomed = zeppelin.createSession(ZEPPELIN_PROPERTIES, "anonymous", "shared");
        long driverPid = Json.MAPPER.readTree(zeppelin.send("GET", "/sessions/" + doomed.id(), "").body())
                .path("driver").path("pid").asLong();
        ProcessHandle.of(driverPid).orElseThrow().destroyForcibly();
        awaitState(doomed.id(), "dead");

        Exchange onDead = zeppelin.submitRaw(doomed.id(), "{\"code\":\"1\",\"kind\":\"spark\"}");
        Exchange close = zeppelin.delete(doomed.id());
        Exchange onDeleted = zeppelin.submitRaw(doomed.id(), "{\"code\":\"1\",\"kind\":\"spark\"}");

        // Zeppelin treats a 5xx whose body has this phrase as a dead session (restart_dead_session restarts it) ...
        assertThat(onDead.status()).isEqualTo(500);
        assertThat(onDead.body()).contains("Session is in state dead");
        // ... closes it with a DELETE, and recreates a session when a 404 body matches this pattern.
        assertThat(close.status()).isEqualTo(200);
        assertThat(onDeleted.status()).isEqualTo(404);
        assertThat(onDeleted.body()).matches("(.*)\"Session '\\d+' not found.\"(.*)");
        assertThat(doomed.proxyUser()).as("an anonymous Zeppelin user sends no proxy user").isNull();
    }

    /** Zeppelin's LivyVersion number: major, minor and patch as two digits each (0.5.0 is 500). */
    private static int livyNumber(String version) {
        String[] parts = version.split("-")[0].split("\\.");
        return Integer.parseInt(parts[0]) * 10000 + Integer.parseInt(parts[1]) * 100 + Integer.parseInt(parts[2]);
    }

    /** Zeppelin's extractStatementResult for Scala: what follows the first '='. */
    private static String afterEquals(StatementInfo statement) {
        String text = statement.output().data().plainText();
        return text.substring(text.indexOf('=') + 1).trim();
    }

    /** Polls as Zeppelin does, at its interval, until {@code done}; fails when it is not so within a minute. */
    private static StatementInfo pollUntil(StatementInfo submitted, java.util.function.Predicate<StatementInfo> done) {
        return Await.value("statement " + submitted.id() + " as awaited", Duration.ofSeconds(60),
                ZeppelinLivyClient.PULL_STATUS_INTERVAL, () -> zeppelin.statement(session.id(), submitted.id()), done);
    }

    private static void awaitState(int sessionId, String state) {
        gateway.livy().awaitState(sessionId, state, Duration.ofSeconds(30));
    }
}
