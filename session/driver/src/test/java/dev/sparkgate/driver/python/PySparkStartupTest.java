package dev.sparkgate.driver.python;

import dev.sparkgate.versions.PythonUnavailableException;

import dev.sparkgate.protocol.SessionSpec.PythonSettings;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting a pyspark session's Python against a real SparkSession, when its PySpark cannot attach. Runs everywhere. */
class PySparkStartupTest {

    @Test
    @DisplayName("a PySpark that cannot attach to the driver fails the start with Python's own error")
    void brokenPySparkFailsTheStart(@TempDir Path sparkHome) throws Exception {
        TestPython.systemPythonOrSkip();
        // given a Spark home whose pyspark is only a version number: importable, but it cannot bind Spark
        DriverPythonTest.fakeSparkHome(sparkHome, "3.5.6");
        boolean startedHere = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSession.builder().master("local[1]").appName("sparkgate-python-startup-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            var spec = TestPython.session(new PythonSettings(TestPython.SYSTEM_PYTHON, sparkHome.toString(), false), Map.of());

            // when the session's Python starts with Spark to bind, then the start fails, carrying what Python said
            assertThatThrownBy(() -> PythonInterpreter.start(spec, spark))
                    .isInstanceOf(PythonUnavailableException.class)
                    .hasMessageContaining("could not bind Spark")
                    .hasMessageContaining("ModuleNotFoundError: No module named 'pyspark.conf'");
        } finally {
            if (startedHere) {
                spark.stop();
            }
        }
    }
}
