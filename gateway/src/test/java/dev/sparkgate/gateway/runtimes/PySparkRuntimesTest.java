package dev.sparkgate.gateway.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Python on the Spark 4.1 runtime, with PySpark 4.1's Python side (SPARKGATE_TEST_SPARK41_HOME, as a Spark 4.1
 * image's $SPARK_HOME/python would give it) and Debian's Python. Python on 3.5 is PySparkSessionTest's.
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
    void toPandasNeedsPandas22() {
        String pandas = python("import importlib.util\n"
                + "__import__('pandas').__version__ if importlib.util.find_spec('pandas') else 'none'");
        assumeTrue(pandas.matches("'(2\\.([2-9]|\\d\\d)|[3-9])\\..*"), "PySpark 4.1's toPandas needs pandas >= 2.2; "
                + "this Python has " + pandas + " (Debian bookworm ships 1.5.3)");

        assertThat(python("spark.range(3).toPandas()['id'].sum()")).isEqualTo("3");
    }
}
