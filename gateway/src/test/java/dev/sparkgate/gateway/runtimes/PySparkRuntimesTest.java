package dev.sparkgate.gateway.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.StreamClient;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Python on the Spark 4.1 runtime, with PySpark 4.1's Python side (SPARKGATE_TEST_SPARK41_HOME, as a Spark 4.1
 * image's $SPARK_HOME/python would give it) and Debian's Python: what a notebook does with Python (Spark from
 * Python, progress, cancel, completion) works on 4.1 as on 3.5. Python on 3.5 is PySparkSessionTest's.
 */
class PySparkRuntimesTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.shared)
            .with("SPARK_HOME", System.getenv(OutsideTools.SPARK41_HOME_VARIABLE))
            .with("SPARKGATE_PYTHON", OutsideTools.DEBIAN_PYTHON.toString())
            .sessionField("conf", Map.of("sparkgate.sparkVersion", "4.1"))
            .onlyWhen(() -> OutsideTools.PYSPARK41.isPresent() && OutsideTools.PYTHON3.isPresent());

    /** Per test, so that each is reported skipped (or failed, in CI) with the reason. */
    @BeforeEach
    void needsPySpark41() {
        OutsideTools.PYTHON3.require();
        OutsideTools.PYSPARK41.require();
    }

    private static LivyClient livy() {
        return gateway.livy();
    }

    private static String python(String code) {
        JsonNode output = livy().run(gateway.session(), "pyspark", code).path("output");
        assertThat(output.path("status").asText()).as(output.toString()).isEqualTo("ok");
        return output.path("data").path("text/plain").asText();
    }

    @Test
    void sparkFromPythonCountsUsesUdfsAndLambdasOnSpark41() {
        assertThat(python("spark.version")).startsWith("'4.1.");
        assertThat(python("spark.range(5).count()")).isEqualTo("5");
        assertThat(python("from pyspark.sql.functions import udf\n"
                + "plus_one = udf(lambda x: x + 1, 'long')\n"
                + "spark.range(3).select(plus_one('id').alias('n')).collect()[-1].n")).isEqualTo("3");
        assertThat(python("sc.parallelize(range(10), 2).map(lambda x: x * x).sum()")).isEqualTo("285");
    }

    @Test
    void tempViewsAreSharedBetweenPythonSqlAndScala() {
        python("spark.range(4).createOrReplaceTempView('from_python_41')");

        assertThat(livy().run(gateway.session(), "sql", "SELECT count(*) AS c FROM from_python_41")
                .path("output").path("data").path("application/json").path("data").toString()).isEqualTo("[[4]]");
        assertThat(livy().run(gateway.session(), "spark", "spark.table(\"from_python_41\").count()")
                .path("output").path("data").path("text/plain").asText()).contains("Long = 4");
    }

    @Test
    void aPythonJobPushesProgressWhileItRunsIsCancelledAndTheSessionGoesOn() {
        int id;
        try (StreamClient stream = gateway.stream(gateway.session())) {
            // given a PySpark job whose two tasks sleep for a minute in Python workers
            id = stream.execute("pyspark",
                    "import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(60) or x).sum()");

            // then its progress is pushed while it runs, naming its job
            stream.await(u -> u instanceof StreamUpdate.Event e && e.event() instanceof StatementEvent.Progress p
                    && p.statementId() == id && !p.jobs().isEmpty(), Duration.ofSeconds(60));
            assertThat(stream.events(id)).noneMatch(StatementEvent.Finished.class::isInstance);

            // when it is cancelled
            stream.request(new StreamRequest.Cancel(stream.nextRequestId(), id));

            // then it ends cancelled, as the Python in the notebook saw it, well before its tasks would have ended
            StreamUpdate finished = stream.awaitFinished(id, Duration.ofSeconds(30)).update();
            assertThat(((StatementEvent.Finished) ((StreamUpdate.Event) finished).event()).outcome())
                    .isEqualTo(StatementEvent.Outcome.cancelled);
        }
        // and its Spark job was cancelled too, not left running on the executors, and Python goes on
        assertThat(jobStatusesOnceEnded("sparkgate-statement-" + id)).contains("FAILED");
        assertThat(python("sc.parallelize(range(4), 2).count()")).isEqualTo("4");
    }

    @Test
    void cancelStopsTheJobsOfAPythonCellThatSetItsOwnJobGroup() {
        try (StreamClient stream = gateway.stream(gateway.session())) {
            // given a Python cell that replaces the statement's job group with its own (interruptible, so that the
            // cancelled tasks free their slots), then runs a long job
            int id = stream.execute("pyspark", "import time\n"
                    + "sc.setJobGroup('mine-python', 'the user\\'s own group', interruptOnCancel=True)\n"
                    + "sc.parallelize(range(2), 2).map(lambda x: time.sleep(60) or x).sum()");
            stream.await(u -> u instanceof StreamUpdate.Event e && e.event() instanceof StatementEvent.Progress p
                    && p.statementId() == id && !p.jobs().isEmpty(), Duration.ofSeconds(60));

            // when it is cancelled
            stream.request(new StreamRequest.Cancel(stream.nextRequestId(), id));
            stream.awaitFinished(id, Duration.ofSeconds(30));
        }

        // then its job was cancelled too (through the statement's job tag), not left running on the executors
        assertThat(jobStatusesOnceEnded("mine-python")).contains("FAILED");
    }

    /**
     * The statuses of the Spark jobs of a job group once none is running, as the session's SparkContext knows them:
     * its status store follows the scheduler's events a little later, so a job just cancelled may still show RUNNING.
     */
    private static String jobStatusesOnceEnded(String group) {
        return Await.value("no job of group " + group + " running", Duration.ofSeconds(20), Duration.ofMillis(500),
                () -> python("','.join(str(sc.statusTracker().getJobInfo(j).status) "
                        + "for j in sc.statusTracker().getJobIdsForGroup('" + group + "'))"),
                statuses -> !statuses.equals("''") && !statuses.contains("RUNNING"));
    }

    @Test
    void pythonCompletionOffersPySpark41Methods() {
        // given the session's Python, started by a cell (a question alone starts no interpreter)
        python("from pyspark.sql import functions as F");

        try (StreamClient stream = gateway.stream(gateway.session())) {
            // when a client asks what completes a PySpark name
            int request = stream.nextRequestId();
            stream.request(new StreamRequest.Ask(request, new InterpreterQuestion.Complete("spark.rang", 10), "pyspark"));

            // then the candidates come from the session's SparkSession, PySpark 4.1's
            StreamUpdate answer = stream.await(u -> u instanceof StreamUpdate.Answer a && a.requestId() == request,
                    Duration.ofSeconds(20)).update();
            assertThat(((StreamUpdate.Answer) answer).answer()).isInstanceOfSatisfying(
                    InterpreterAnswer.Completions.class, c -> assertThat(c.candidates()).contains("range"));
        }
    }

    @Test
    void toPandasNeedsPandas22() {
        String pandas = python("import importlib.util\n"
                + "__import__('pandas').__version__ if importlib.util.find_spec('pandas') else 'none'");
        assumeTrue(pandas.matches("'(2\\.([2-9]|\\d\\d)|[3-9])\\..*"), "PySpark 4.1's toPandas needs pandas >= 2.2; "
                + "this Python has " + pandas + " (Debian bookworm ships 1.5.3)");

        assertThat(python("spark.range(3).toPandas()['id'].sum()")).isEqualTo("3");
    }
}
