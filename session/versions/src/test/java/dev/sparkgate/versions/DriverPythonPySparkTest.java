package dev.sparkgate.versions;

import dev.sparkgate.protocol.SessionSpec.PythonSettings;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which PySpark a session's Python may drive the driver's Spark with, and what the refusals tell a newcomer to do:
 * pip first (where users can install packages, that is how they get PySpark), then a Spark home, then plain Python.
 * A pip-installed PySpark is emulated by {@code PYTHONPATH}, which is what pip's site-packages amounts to.
 */
class DriverPythonPySparkTest {

    /** The driver's Spark; the driver passes its own, read off the Spark it runs. */
    private static final String DRIVER_SPARK = "3.5.6";
    private static final String PYTHON = OutsideTools.DEBIAN_PYTHON.toString();
    private static final PythonSettings NO_SPARK_HOME = new PythonSettings(PYTHON, null, false);

    @BeforeAll
    static void needsDebianPython() {
        OutsideTools.PYTHON3.require();
    }

    @Test
    @DisplayName("without PySpark, the refusal says: pip install pyspark of the driver's Spark, else SPARK_HOME, else plain Python")
    void withoutPySparkPipComesFirst() {
        // given Debian's python3, which imports no pyspark, and no Spark home
        DriverPython python = DriverPython.discover(Map.of(), NO_SPARK_HOME, Map.of());

        // when a pyspark session asks for PySpark, then it is refused with the three ways, in that order
        assertThat(python.hasPySpark()).isFalse();
        assertThatThrownBy(() -> python.requirePySpark(DRIVER_SPARK, false))
                .isInstanceOf(PythonUnavailableException.class)
                .hasMessageContaining("has no PySpark: no Spark home is configured")
                .hasMessageContaining(python.executable() + " -m pip install pyspark==3.5.6")
                .hasMessageContaining("set SPARK_HOME to a Spark 3.5 distribution")
                .hasMessageContaining("SPARKGATE_PYTHON_WITHOUT_PYSPARK=true")
                .satisfies(refusal -> assertThat(refusal.getMessage())
                        .containsSubsequence("pip install pyspark==3.5.6", "SPARK_HOME", "SPARKGATE_PYTHON_WITHOUT_PYSPARK"));
        // and the operator's plain-Python switch lets it run without
        assertThatCode(() -> python.requirePySpark(DRIVER_SPARK, true)).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a PySpark the Python imports by itself (as pip installs it) is used, a patch apart from the driver's Spark")
    void aPySparkThePythonImportsIsAccepted() throws IOException {
        // given PySpark 3.5.1's Python side importable by the Python itself, not from a Spark home
        Path home = OutsideTools.sparkHome();
        String pythonPath = pythonPathOf(home);

        // when the session's Python is discovered without SPARK_HOME
        DriverPython python = DriverPython.discover(Map.of(), NO_SPARK_HOME, Map.of("PYTHONPATH", pythonPath));

        // then its PySpark is found and accepted for the driver's Spark 3.5.6
        assertThat(python.pysparkVersion()).contains("3.5.1");
        assertThat(python.pysparkPath()).as("nothing added: the Python imports it already").isEmpty();
        assertThat(python.pythonPath()).isEqualTo(pythonPath);
        assertThat(python.mismatchedPySparkMessage(DRIVER_SPARK)).isEmpty();
        assertThatCode(() -> python.requirePySpark(DRIVER_SPARK, false)).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a PySpark of another Spark minor is refused, naming both versions and the fix, even where plain Python is allowed")
    void aPySparkOfAnotherMinorIsRefused(@TempDir Path site) throws IOException {
        // given a Python that imports PySpark 3.4.1 (a tiny stand-in: the package and its version module)
        Path pyspark = Files.createDirectories(site.resolve("pyspark"));
        Files.writeString(pyspark.resolve("__init__.py"), "from pyspark.version import __version__\n");
        Files.writeString(pyspark.resolve("version.py"), "__version__ = '3.4.1'\n");

        DriverPython python = DriverPython.discover(Map.of(), NO_SPARK_HOME, Map.of("PYTHONPATH", site.toString()));

        // when a session asks it to drive Spark 3.5.6, then it is refused, with or without the plain-Python switch
        assertThat(python.pysparkVersion()).contains("3.4.1");
        for (boolean plainPythonAllowed : new boolean[] {false, true}) {
            assertThatThrownBy(() -> python.requirePySpark(DRIVER_SPARK, plainPythonAllowed))
                    .isInstanceOf(PythonUnavailableException.class)
                    .hasMessage("The session's Python " + python.executable() + " (Python " + python.pythonVersion()
                            + ", from the driver's default Python) has PySpark 3.4.1 (" + pyspark.resolve("__init__.py")
                            + "), the driver runs Spark 3.5.6: PySpark must be of the driver's Spark 3.5. Install the "
                            + "matching PySpark into that Python (" + python.executable() + " -m pip install "
                            + "pyspark==3.5.6), or set SPARK_HOME to a Spark 3.5 distribution, whose python/ then "
                            + "comes first.");
        }
    }

    /** PySpark's package directory and Py4J's zip, as a pip install would make them importable. */
    private static String pythonPathOf(Path sparkHome) throws IOException {
        Path python = sparkHome.resolve("python");
        try (Stream<Path> lib = Files.list(python.resolve("lib"))) {
            Path py4j = lib.filter(f -> f.getFileName().toString().matches("py4j-.*-src\\.zip")).findFirst()
                    .orElseThrow(() -> new AssertionError(sparkHome + " has no python/lib/py4j-*-src.zip"));
            return python + java.io.File.pathSeparator + py4j;
        }
    }
}
