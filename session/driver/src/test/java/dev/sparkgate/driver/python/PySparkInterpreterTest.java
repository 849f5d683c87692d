package dev.sparkgate.driver.python;

import dev.sparkgate.driver.interpreter.ExecutionResult;
import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.SessionSpec.PythonSettings;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;
import dev.sparkgate.testkit.OutsideTools;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sparkgate.driver.python.TestPython.errorOf;
import static dev.sparkgate.driver.python.TestPython.textOf;
import static dev.sparkgate.driver.python.TestPython.valueOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Python cells against this JVM's own SparkSession (local[2]). Needs PySpark's Python side: set
 * SPARKGATE_TEST_SPARK_HOME to a Spark home with python/pyspark and python/lib/py4j-*-src.zip; without it
 * every test here is skipped, with the reason printed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PySparkInterpreterTest {

    private static SparkSession spark;
    private static boolean sparkStartedHere;
    private static PythonInterpreter python;

    /**
     * Per test, not per class: an assumption that fails in a @BeforeAll makes the tests vanish from the
     * report, while one that fails here reports each of them as skipped, with the reason.
     */
    @BeforeEach
    void sparkAndPython() {
        String sparkHome = TestPython.sparkHomeOrSkip();
        TestPython.systemPythonOrSkip();
        if (python != null) {
            return;
        }
        sparkStartedHere = SparkSession.getDefaultSession().isEmpty();
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("sparkgate-python-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        python = PythonInterpreter.start(
                TestPython.session(new PythonSettings(TestPython.SYSTEM_PYTHON, sparkHome, false), Map.of()), spark);
    }

    @AfterAll
    static void stopPythonAndSpark() {
        if (python != null) {
            python.close();
        }
        if (spark != null && sparkStartedHere) {
            spark.stop();
        }
    }

    private static ExecutionResult run(String code) {
        return python.execute(code, new RecordingContext());
    }

    @Test
    @DisplayName("spark and sc are bound, and spark runs a job")
    void sparkCounts() {
        assertThat(python.sparkBound()).isTrue();
        assertThat(python.python().pysparkVersion()).isPresent();

        assertThat(textOf(run("spark.range(5).count()"))).isEqualTo("5");
        assertThat(textOf(run("sc.applicationId == spark.sparkContext.applicationId"))).isEqualTo("True");
    }

    @Test
    @DisplayName("spark in Python is the driver's own SparkSession")
    void sameSparkContextAsTheJvm() {
        assertThat(textOf(run("sc.applicationId"))).isEqualTo("'" + spark.sparkContext().applicationId() + "'");
    }

    @Test
    @DisplayName("a Python UDF runs in Python workers")
    void pythonUdf() {
        ExecutionResult result = run("""
                from pyspark.sql.functions import udf
                from pyspark.sql.types import LongType
                @udf(LongType())
                def squared(x):
                    return x * x
                [r[0] for r in spark.range(4).select(squared("id")).collect()]
                """);

        assertThat(textOf(result)).isEqualTo("[0, 1, 4, 9]");
    }

    @Test
    @DisplayName("an RDD lambda runs in Python workers")
    void rddLambda() {
        assertThat(textOf(run("sc.parallelize(range(10), 2).map(lambda x: x * x).sum()"))).isEqualTo("285");
    }

    @Test
    @DisplayName("a temp view made in SQL on the JVM is visible from Python, and one made in Python from the JVM")
    void tempViewsAreShared() {
        // given a view made through the Java SparkSession
        spark.sql("CREATE OR REPLACE TEMP VIEW made_in_java AS SELECT 7 AS answer");

        // then Python sees it
        assertThat(textOf(run("spark.sql('SELECT answer FROM made_in_java').first()[0]"))).isEqualTo("7");

        // and when Python makes one
        run("spark.createDataFrame([(1, 'one'), (2, 'two')], ['n', 'word']).createOrReplaceTempView('made_in_python')");

        // then the JVM sees it
        List<Row> rows = spark.sql("SELECT word FROM made_in_python ORDER BY n").collectAsList();
        assertThat(rows).extracting(row -> row.getString(0)).containsExactly("one", "two");
    }

    @Test
    @DisplayName("sparkmagic's %%sql code prints JSON lines, complete and in order")
    void sparkmagicSql() {
        RecordingContext context = new RecordingContext();

        python.execute("for x in spark.sql(u\"\"\"SELECT id, id * 2 AS twice FROM range(3) \"\"\").toJSON(use_unicode=True)"
                + ".take(2500): print(x)", context);

        assertThat(context.stdout()).isEqualTo("""
                {"id":0,"twice":0}
                {"id":1,"twice":2}
                {"id":2,"twice":4}
                """);
    }

    @Test
    @DisplayName("display() of a DataFrame shows its first rows as an HTML table, text and Livy table")
    void displayDataFrame() {
        RecordingContext context = new RecordingContext();

        python.execute("display(spark.range(25).selectExpr('id', 'id % 2 = 0 AS even'))", context);

        assertThat(context.displays()).hasSize(1);
        Map<String, Object> data = context.displays().get(0).data();
        assertThat((String) data.get(Mime.HTML)).startsWith("<table").contains("<th>id</th>", "<td>19</td>")
                .doesNotContain("<td>20</td>").contains("only showing top 20 rows");
        assertThat((String) data.get(Mime.TEXT)).contains("| id| even|", "| 19|false|");
        Map<?, ?> table = (Map<?, ?>) data.get(Mime.LIVY_TABLE);
        assertThat(table.get("headers")).isEqualTo(List.of(
                Map.of("name", "id", "type", "bigint"), Map.of("name", "even", "type", "boolean")));
        assertThat((List<?>) table.get("data")).hasSize(20).first().isEqualTo(List.of(0, true));
    }

    @Test
    @DisplayName("toPandas() brings a DataFrame into pandas, which renders as HTML")
    void toPandas() {
        OutsideTools.PANDAS.require();

        Map<String, Object> data = valueOf(run("spark.range(3).selectExpr('id', 'id * 10 AS tens').toPandas()"));

        assertThat((String) data.get(Mime.TEXT)).contains("tens").contains("20");
        assertThat((String) data.get(Mime.HTML)).contains("<table").contains("tens");
    }

    @Test
    @DisplayName("interrupting a cell cancels its Spark job, and Spark works in the next cell")
    void interruptCancelsTheSparkJob() throws Exception {
        // given a cell running a Spark job that would take a minute
        RecordingContext context = new RecordingContext("python-test-long-job");
        CompletableFuture<ExecutionResult> running = CompletableFuture.supplyAsync(() -> python.execute(
                "import time\nsc.parallelize(range(60), 2).map(lambda x: time.sleep(1) or x).count()", context));
        awaitActiveJob();

        // when the statement is interrupted (the driver also cancels the statement's job group)
        long interruptedAt = System.nanoTime();
        python.interrupt();
        spark.sparkContext().cancelJobGroup(context.jobGroup());
        ExecutionResult result = running.get(30, TimeUnit.SECONDS);

        // then the cell ends promptly as interrupted, and its job is cancelled
        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(10));
        ErrorInfo error = errorOf(result);
        assertThat(error.ename()).isEqualTo("KeyboardInterrupt");
        awaitNoActiveJob();
        // and the session's Spark still works from Python
        assertThat(textOf(run("spark.range(3).count()"))).isEqualTo("3");
    }

    @Test
    @DisplayName("spark.stop() in a cell is refused: the SparkContext belongs to the whole session")
    void stoppingSparkIsRefused() {
        ErrorInfo error = errorOf(run("spark.stop()"));

        assertThat(error.evalue()).contains("delete the session instead");
        assertThat(spark.sparkContext().isStopped()).isFalse();
        assertThat(textOf(run("spark.range(2).count()"))).isEqualTo("2");
    }

    @Test
    @DisplayName("after its Python dies, a fresh Python is bound to the same SparkSession")
    void restartedPythonIsBoundAgain() {
        spark.sql("CREATE OR REPLACE TEMP VIEW survives_python AS SELECT 'still here' AS what");

        assertThat(errorOf(run("import os\nos._exit(7)")).evalue()).contains("exited with code 7");

        assertThat(textOf(run("spark.sql('SELECT what FROM survives_python').first()[0]"))).isEqualTo("'still here'");
    }

    private static void awaitActiveJob() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (spark.sparkContext().statusTracker().getActiveJobIds().length == 0) {
            assertThat(System.nanoTime()).as("a Spark job started").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitNoActiveJob() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (spark.sparkContext().statusTracker().getActiveJobIds().length > 0) {
            assertThat(System.nanoTime()).as("the Spark job was cancelled").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
