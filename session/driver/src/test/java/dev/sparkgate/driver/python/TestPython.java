package dev.sparkgate.driver.python;

import dev.sparkgate.driver.interpreter.ExecutionResult;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.SessionSpec.PythonSettings;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Pythons and session specs the tests run with. */
final class TestPython {

    /** CI's Python: Debian's, without PySpark. */
    static final String SYSTEM_PYTHON = "/usr/bin/python3";
    /** A Spark home with python/pyspark and python/lib/py4j-*-src.zip; PySpark tests skip without it. */
    static final String SPARK_HOME_VARIABLE = "SPARKGATE_TEST_SPARK_HOME";

    private TestPython() {
    }

    /** A pyspark session on the system Python that runs plain Python when PySpark is missing. */
    static SessionSpec plainPythonSession() {
        return session(new PythonSettings(SYSTEM_PYTHON, null, true), Map.of());
    }

    static SessionSpec session(PythonSettings python, Map<String, String> sparkConf) {
        return new SessionSpec(1, "python-test", Kind.pyspark, "tester", sparkConf, SessionSpec.DEFAULT_SQL_ROW_CAP, python);
    }

    /** The Spark home to run PySpark tests with; skips the test, saying why, when there is none. */
    static String sparkHomeOrSkip() {
        String home = System.getenv(SPARK_HOME_VARIABLE);
        boolean usable = home != null && Files.isDirectory(Path.of(home, "python", "pyspark"));
        if (!usable) {
            String reason = "SKIPPED PySpark test: set " + SPARK_HOME_VARIABLE
                    + " to a Spark home with python/pyspark and python/lib/py4j-*-src.zip (now: " + home + ")";
            System.out.println(reason);
            System.err.println(reason);
        }
        assumeTrue(usable, () -> "set " + SPARK_HOME_VARIABLE + " to a Spark home with python/pyspark to run this test");
        return home;
    }

    static void systemPythonOrSkip() {
        assumeTrue(Files.isExecutable(Path.of(SYSTEM_PYTHON)), SYSTEM_PYTHON + " is needed for the Python tests");
    }

    static Map<String, Object> valueOf(ExecutionResult result) {
        assertThat(result).as("the cell's outcome").isInstanceOf(ExecutionResult.Value.class);
        return ((ExecutionResult.Value) result).data();
    }

    static ErrorInfo errorOf(ExecutionResult result) {
        assertThat(result).as("the cell's outcome").isInstanceOf(ExecutionResult.Failure.class);
        return ((ExecutionResult.Failure) result).error();
    }

    static Object textOf(ExecutionResult result) {
        return valueOf(result).get("text/plain");
    }
}
