package dev.sparkgate.driver.python;

import dev.sparkgate.driver.interpreter.ExecutionResult;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.SessionSpec.PythonSettings;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;

import dev.sparkgate.testkit.OutsideTools;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Pythons and session specs the tests run with. */
final class TestPython {

    /** CI's Python: Debian's, without PySpark. */
    static final String SYSTEM_PYTHON = OutsideTools.DEBIAN_PYTHON.toString();

    private TestPython() {
    }

    /** A pyspark session on the system Python that runs plain Python when PySpark is missing. */
    static SessionSpec plainPythonSession() {
        return session(new PythonSettings(SYSTEM_PYTHON, null, true), Map.of());
    }

    static SessionSpec session(PythonSettings python, Map<String, String> sparkConf) {
        return new SessionSpec(1, "python-test", Kind.pyspark, "tester", sparkConf, SessionSpec.DEFAULT_SQL_ROW_CAP, python);
    }

    /** The Spark home to run PySpark tests with ({@code SPARKGATE_TEST_SPARK_HOME}); skips, saying why, without. */
    static String sparkHomeOrSkip() {
        return OutsideTools.sparkHome().toString();
    }

    static void systemPythonOrSkip() {
        OutsideTools.PYTHON3.require();
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
