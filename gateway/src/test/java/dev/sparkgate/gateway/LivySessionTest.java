package dev.sparkgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.protocol.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Livy REST flow as sparkmagic and Zeppelin drive it, against one shared session with a real driver JVM. */
class LivySessionTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.shared).sessionField("name", "livy-test")
            .with("SPARKGATE_SQL_ROW_CAP", "5");
    private static LivyClient livy;
    private static int session;

    @BeforeAll
    static void clients() {
        livy = gateway.livy();
        session = gateway.session();
    }

    @Test
    void versionIsALivyVersionThatTurnsOnZeppelinsSharedSessions() {
        JsonNode version = livy.get("/version").body();

        String[] parts = version.path("version").asText().split("\\.");
        assertThat(Integer.parseInt(parts[0]) * 100 + Integer.parseInt(parts[1])).isGreaterThanOrEqualTo(5);
    }

    @Test
    void anIdleSessionShowsItsApplicationAndSparkUiAndLog() {
        JsonNode view = livy.get("/sessions/" + session).body();

        assertThat(view.path("state").asText()).isEqualTo("idle");
        assertThat(view.path("kind").asText()).isEqualTo("shared");
        assertThat(view.path("appId").asText()).startsWith("local-");
        assertThat(view.path("appInfo").path("sparkUiUrl").asText()).as("the Spark UI through the gateway")
                .startsWith(gateway.baseUri().toString()).endsWith("/ui/");
        assertThat(view.path("log").isArray()).isTrue();
        assertThat(livy.get("/sessions/livy-test").body().path("id").asInt()).isEqualTo(session);
        assertThat(livy.get("/sessions/" + session + "/state").body().path("state").asText()).isEqualTo("idle");
        assertThat(livy.get("/sessions").body().path("sessions").findValuesAsText("name")).contains("livy-test");
    }

    @Test
    void theDriverLogIsServedInPages() {
        JsonNode log = livy.get("/sessions/" + session + "/log?from=0&size=3").body();

        assertThat(log.path("log")).hasSizeLessThanOrEqualTo(3);
        assertThat(log.path("total").asLong()).isGreaterThan(0);
        assertThat(livy.get("/sessions/" + session + "/log").body().path("log").toString()).contains("driver ready");
    }

    @Test
    void aScalaStatementAnswersLikeTheScalaRepl() {
        JsonNode statement = livy.run(session, "spark", "1 + 1");

        assertThat(statement.path("state").asText()).isEqualTo("available");
        assertThat(statement.path("output").path("status").asText()).isEqualTo("ok");
        assertThat(statement.path("output").path("data").path("text/plain").asText()).matches("res\\d+: Int = 2\\n");
        assertThat(statement.path("progress").asDouble()).isEqualTo(1.0);
        assertThat(statement.path("completed").asLong()).isGreaterThanOrEqualTo(statement.path("started").asLong());
    }

    @Test
    void closuresDefinedInCellsRunOnExecutorsAndStateIsKept() {
        livy.run(session, "spark", "case class Point(x: Int, y: Int)\nval factor = 3");

        JsonNode statement = livy.run(session, "spark",
                "sc.parallelize(1 to 4, 2).map(i => Point(i, i * factor)).map(_.y).collect().mkString(\",\")");

        assertThat(statement.path("output").path("data").path("text/plain").asText()).contains("3,6,9,12");
    }

    @Test
    void sqlResultsComeAsLivyJsonAsAZeppelinTableAndAsText() {
        JsonNode statement = livy.run(session, "sql", "SELECT id, CAST(id * 2 AS STRING) AS doubled FROM range(3)");

        JsonNode data = statement.path("output").path("data");
        assertThat(data.path("application/json").path("schema").path("fields").findValuesAsText("name"))
                .containsExactly("id", "doubled");
        assertThat(data.path("application/json").path("data").toString()).isEqualTo("[[0,\"0\"],[1,\"2\"],[2,\"4\"]]");
        assertThat(data.path("application/vnd.livy.table.v1+json").path("headers").findValuesAsText("type"))
                .containsExactly("bigint", "string");
        assertThat(data.path("text/plain").asText()).contains("| id|doubled|", "|  2|      4|");
    }

    @Test
    void sqlRowsBeyondTheCapAreCutWithAVisibleNote() {
        JsonNode data = livy.run(session, "sql", "SELECT * FROM range(100)").path("output").path("data");

        assertThat(data.path("application/json").path("data")).hasSize(5);
        assertThat(data.path("application/json").path("truncated").asBoolean()).isTrue();
        assertThat(data.path("text/plain").asText()).contains("only showing top 5 rows");
    }

    @Test
    void aTempViewMadeInSqlIsVisibleFromScala() {
        livy.run(session, "sql", "CREATE OR REPLACE TEMPORARY VIEW numbers AS SELECT * FROM range(10)");

        JsonNode statement = livy.run(session, "spark", "spark.table(\"numbers\").count()");

        assertThat(statement.path("output").path("data").path("text/plain").asText()).contains("Long = 10");
    }

    @Test
    void zeppelinsLivySqlGetsSparksOwnShowGrid() {
        // Zeppelin's %livy.sql checks the session with `spark`, then parses the grid of show(N, true).
        JsonNode probe = livy.run(session, "spark", "spark");
        JsonNode statement = livy.run(session, "spark",
                "spark.sql(\"\"\"SELECT 'a' AS letter, 1 AS n\"\"\").show(1000, true)");

        assertThat(probe.path("output").path("data").path("text/plain").asText())
                .contains("org.apache.spark.sql.SparkSession");
        assertThat(statement.path("output").path("data").path("text/plain").asText()).isEqualTo(
                "+------+---+\n|letter|  n|\n+------+---+\n|     a|  1|\n+------+---+\n\n");
    }

    @Test
    void aRuntimeErrorHasNameValueAndTheUsersFramesAndTheSessionGoesOn() {
        JsonNode failed = livy.run(session, "spark", "def boom(): Int = throw new IllegalStateException(\"no way\")\nboom()");

        JsonNode output = failed.path("output");
        assertThat(failed.path("state").asText()).isEqualTo("available");
        assertThat(output.path("status").asText()).isEqualTo("error");
        assertThat(output.path("ename").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(output.path("evalue").asText()).isEqualTo("no way");
        assertThat(output.path("traceback").toString()).contains("boom").doesNotContain("scala.tools.nsc");
        assertThat(livy.run(session, "spark", "40 + 2").path("output").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void aCompileErrorSaysWhatTheCompilerSaid() {
        JsonNode output = livy.run(session, "spark", "val x: Int = \"text\"").path("output");

        assertThat(output.path("ename").asText()).isEqualTo("CompileError");
        assertThat(output.path("evalue").asText()).contains("type mismatch");
    }

    @Test
    void aSqlErrorNamesWhatIsMissing() {
        JsonNode output = livy.run(session, "sql", "SELECT * FROM no_such_table").path("output");

        assertThat(output.path("status").asText()).isEqualTo("error");
        assertThat(output.path("ename").asText()).isEqualTo("AnalysisException");
        assertThat(output.path("evalue").asText()).contains("no_such_table");
    }

    @Test
    void statementsAreListedInPagesAndNewestFirstOnRequest() {
        livy.run(session, "spark", "\"first\"");
        livy.run(session, "spark", "\"second\"");

        JsonNode all = livy.get("/sessions/" + session + "/statements").body();
        JsonNode newest = livy.get("/sessions/" + session + "/statements?order=desc&size=1").body();

        assertThat(all.path("total_statements").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(newest.path("statements")).hasSize(1);
        assertThat(newest.path("statements").get(0).path("id").asInt())
                .isEqualTo(all.path("total_statements").asInt() - 1);
    }

    @Test
    void completionOffersScalaMembersAndSqlKeywords() {
        livy.run(session, "spark", "val myNumbers = Seq(1, 2, 3)");

        JsonNode scala = livy.post("/sessions/" + session + "/completion",
                Map.of("code", "myNumbers.su", "kind", "spark", "cursor", 12)).body();
        JsonNode sql = livy.post("/sessions/" + session + "/completion",
                Map.of("code", "SEL", "kind", "sql", "cursor", 3)).body();

        assertThat(scala.path("candidates").toString()).contains("sum");
        assertThat(sql.path("candidates").toString()).contains("SELECT");
    }

    @Test
    void aLongJobReportsProgressWhileItRuns() {
        int id = livy.post("/sessions/" + session + "/statements", Map.of("kind", "spark",
                "code", "sc.parallelize(1 to 40, 20).map { x => Thread.sleep(150); x }.count()")).body().path("id").asInt();

        List<Double> seen = new ArrayList<>();
        JsonNode statement = Await.value("statement " + id + " available", Duration.ofSeconds(60),
                () -> livy.get("/sessions/" + session + "/statements/" + id).body(), s -> {
                    seen.add(s.path("progress").asDouble());
                    return s.path("state").asText().equals("available");
                });

        assertThat(seen).anyMatch(p -> p > 0.0 && p < 1.0);
        assertThat(statement.path("output").path("data").path("text/plain").asText()).contains("Long = 40");
    }

    @Test
    void cancelStopsAJobAndTheSessionStaysUsable() {
        // Scala is up, so the cancel finds the job rather than a statement waiting for its interpreter.
        livy.run(session, "spark", "1");
        int id = livy.post("/sessions/" + session + "/statements", Map.of("kind", "spark",
                "code", "sc.parallelize(1 to 1000, 4).map { x => Thread.sleep(100); x }.count()")).body().path("id").asInt();
        livy.awaitState(session, "busy", Duration.ofSeconds(10));
        LivyClient.sleep(100);

        LivyClient.Reply cancelled = livy.post("/sessions/" + session + "/statements/" + id + "/cancel", "");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.msg()).isEqualTo("canceled");
        JsonNode statement = livy.awaitStatement(session, id, Duration.ofSeconds(30));
        assertThat(statement.path("state").asText()).isEqualTo("cancelled");
        assertThat(statement.path("output").path("ename").asText()).as("the interpreter's own error, not a generic one")
                .isNotEqualTo("Cancelled").isNotBlank();
        assertThat(livy.run(session, "sql", "SELECT 7 AS n").path("output").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void cancelStopsScalaCodeThatNeverLooksUp() {
        livy.run(session, "spark", "1");
        int id = livy.post("/sessions/" + session + "/statements",
                Map.of("kind", "spark", "code", "var n = 0L\nwhile (true) { n += 1 }")).body().path("id").asInt();
        livy.awaitState(session, "busy", Duration.ofSeconds(10));
        // Past the compiler (a cancel there ends the cell as a compile that was interrupted), into the loop.
        LivyClient.sleep(1500);

        livy.post("/sessions/" + session + "/statements/" + id + "/cancel", "");

        JsonNode statement = livy.awaitStatement(session, id, Duration.ofSeconds(30));
        assertThat(statement.path("state").asText()).isEqualTo("cancelled");
        assertThat(statement.path("output").path("ename").asText()).isEqualTo("java.lang.ThreadDeath");
        assertThat(statement.path("output").path("traceback").toString()).as("where the thread stopped")
                .contains("stopped here").contains("$line");
        assertThat(livy.run(session, "spark", "6 * 7").path("output").path("data").path("text/plain").asText())
                .contains("Int = 42");
    }
}
