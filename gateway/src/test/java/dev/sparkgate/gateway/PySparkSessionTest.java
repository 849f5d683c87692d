package dev.sparkgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spark from Python, in a shared session where Scala, SQL and Python use one SparkSession. Needs PySpark's Python
 * side: set SPARKGATE_TEST_SPARK_HOME to a Spark 3.5 home with python/pyspark (see the README). Without it every
 * test here is reported skipped, with that reason.
 */
class PySparkSessionTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.shared)
            .with("SPARK_HOME", System.getenv(OutsideTools.SPARK_HOME_VARIABLE))
            .with("SPARKGATE_PYTHON", OutsideTools.DEBIAN_PYTHON.toString())
            .onlyWhen(PySparkSessionTest::pysparkConfigured);

    static boolean pysparkConfigured() {
        return OutsideTools.PYSPARK.isPresent() && OutsideTools.PYTHON3.isPresent();
    }

    /** Per test, not in @BeforeAll, so that each test is reported skipped (or failed, in CI) with the reason. */
    @BeforeEach
    void needsPySpark() {
        OutsideTools.PYTHON3.require();
        OutsideTools.PYSPARK.require();
    }

    private static LivyClient livy() {
        return gateway.livy();
    }

    private static int session() {
        return gateway.session();
    }

    private static String python(String code) {
        JsonNode output = livy().run(session(), "pyspark", code).path("output");
        assertThat(output.path("status").asText()).as(output.toString()).isEqualTo("ok");
        return output.path("data").path("text/plain").asText();
    }

    @Test
    void sparkFromPythonCountsUsesUdfsAndLambdas() {
        assertThat(python("spark.range(5).count()")).isEqualTo("5");
        assertThat(python("from pyspark.sql.functions import udf\n"
                + "plus_one = udf(lambda x: x + 1, 'long')\n"
                + "spark.range(3).select(plus_one('id').alias('n')).collect()[-1].n")).isEqualTo("3");
        assertThat(python("sc.parallelize(range(10), 2).map(lambda x: x * x).sum()")).isEqualTo("285");
    }

    @Test
    void tempViewsAreSharedBetweenSqlScalaAndPython() {
        livy().run(session(), "sql", "CREATE OR REPLACE TEMPORARY VIEW from_sql AS SELECT 7 AS n");
        python("spark.range(4).createOrReplaceTempView('from_python')");

        assertThat(python("spark.table('from_sql').first().n")).isEqualTo("7");
        assertThat(livy().run(session(), "sql", "SELECT count(*) AS c FROM from_python")
                .path("output").path("data").path("application/json").path("data").toString()).isEqualTo("[[4]]");
        assertThat(livy().run(session(), "spark", "spark.table(\"from_python\").count()")
                .path("output").path("data").path("text/plain").asText()).contains("Long = 4");
    }

    @Test
    void sparkmagicsSqlComesBackAsCompleteJsonLines() {
        String out = python("for x in spark.sql(u\"\"\"SELECT id, id * 2 AS twice FROM range(300) \"\"\")"
                + ".toJSON(use_unicode=True).take(2500): print(x)");

        assertThat(out.lines()).hasSize(300).first().isEqualTo("{\"id\":0,\"twice\":0}");
        assertThat(out.lines().reduce((a, b) -> b)).contains("{\"id\":299,\"twice\":598}");
    }

    @Test
    void cancellingALongJobFromPythonStopsItAndTheSessionGoesOn() {
        int id = livy().post("/sessions/" + session() + "/statements", Map.of("kind", "pyspark", "code",
                "import time\nsc.parallelize(range(1000), 4).map(lambda x: time.sleep(0.1) or x).count()"))
                .body().path("id").asInt();
        livy().awaitState(session(), "busy", Duration.ofSeconds(10));
        LivyClient.sleep(1500);

        livy().post("/sessions/" + session() + "/statements/" + id + "/cancel", "");

        assertThat(livy().awaitStatement(session(), id, Duration.ofSeconds(40)).path("state").asText()).isEqualTo("cancelled");
        assertThat(python("1 + 1")).isEqualTo("2");
    }

    @Test
    void aDataFrameAsTheCellsValueShowsAsATable() {
        JsonNode data = livy().run(session(), "pyspark", "spark.range(3).selectExpr('id', 'id * 10 AS tens')")
                .path("output").path("data");

        assertThat(data.path("text/html").asText()).contains("<table", "tens");
        assertThat(data.path("application/vnd.livy.table.v1+json").path("data").toString())
                .isEqualTo("[[0,0],[1,10],[2,20]]");
        assertThat(data.path("text/plain").asText()).contains("|tens|");
    }

    @Test
    void toPandasWorksWhenPandasIsInstalled() {
        OutsideTools.PANDAS.require();

        assertThat(python("spark.range(3).toPandas()['id'].sum()")).isEqualTo("3");
    }
}
