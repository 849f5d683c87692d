package dev.sparkgate.driver.python;

import dev.sparkgate.versions.DriverPython;
import dev.sparkgate.versions.PythonUnavailableException;

import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.SessionSpec.PythonSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.sparkgate.driver.python.TestPython.SYSTEM_PYTHON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** How the driver finds a session's Python and its PySpark, and what it says when they are missing. */
class DriverPythonTest {

    private static final PythonSettings NO_SPARK_HOME = new PythonSettings(SYSTEM_PYTHON, null, false);
    /** The Spark this module bundles and drivers run: what a refusal tells users to pip install. */
    private static final String BUNDLED_SPARK = org.apache.spark.package$.MODULE$.SPARK_VERSION();

    @BeforeAll
    static void needsSystemPython() {
        TestPython.systemPythonOrSkip();
    }

    @Test
    @DisplayName("the executable comes from spark.pyspark.driver.python first, then the env, then the default")
    void executablePrecedence() {
        Map<String, String> bothEnvVariables = Map.of("PYSPARK_DRIVER_PYTHON", SYSTEM_PYTHON, "PYSPARK_PYTHON", "/no/such/python");

        assertThat(DriverPython.discover(Map.of(DriverPython.DRIVER_PYTHON_CONF, SYSTEM_PYTHON),
                new PythonSettings("/no/such/python", null, false), Map.of("PYSPARK_DRIVER_PYTHON", "/no/such/python"))
                .chosenBy()).isEqualTo("Spark conf spark.pyspark.driver.python");
        assertThat(DriverPython.discover(Map.of(), NO_SPARK_HOME, bothEnvVariables).chosenBy())
                .isEqualTo("env PYSPARK_DRIVER_PYTHON");
        assertThat(DriverPython.discover(Map.of(), new PythonSettings("/no/such/python", null, false),
                Map.of("PYSPARK_PYTHON", SYSTEM_PYTHON)).chosenBy()).isEqualTo("env PYSPARK_PYTHON");
        assertThat(DriverPython.discover(Map.of(), NO_SPARK_HOME, Map.of()).chosenBy())
                .isEqualTo("the driver's default Python");
    }

    @Test
    @DisplayName("it reports the Python's version as major.minor.patch and its absolute path")
    void reportsVersion() throws Exception {
        Process version = new ProcessBuilder(SYSTEM_PYTHON, "--version").redirectErrorStream(true).start();
        String expected = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()
                .substring("Python ".length());

        DriverPython python = DriverPython.discover(Map.of(), new PythonSettings("python3", null, false),
                Map.of("PYSPARK_PYTHON", SYSTEM_PYTHON));

        assertThat(python.pythonVersion()).isEqualTo(expected).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(Path.of(python.executable())).isAbsolute();
        assertThat(python.requested()).isEqualTo(SYSTEM_PYTHON);
    }

    @Test
    @DisplayName("an executable that does not exist is refused with what to set")
    void missingExecutable() {
        assertThatThrownBy(() -> DriverPython.discover(Map.of(DriverPython.DRIVER_PYTHON_CONF, "/opt/nowhere/python3.99"),
                NO_SPARK_HOME, Map.of()))
                .isInstanceOf(PythonUnavailableException.class)
                .hasMessageContaining("/opt/nowhere/python3.99")
                .hasMessageContaining("from Spark conf spark.pyspark.driver.python")
                .hasMessageContaining("cannot be run")
                .hasMessageContaining("Set spark.pyspark.driver.python (or PYSPARK_DRIVER_PYTHON) to a Python 3.8+ executable");
    }

    @Test
    @DisplayName("a Python older than 3.8 is refused, naming its version")
    void tooOldPython() {
        Path old = Stream.of("2.7.18", "3.6.15", "3.7.16")
                .map(v -> Path.of(System.getProperty("user.home"), ".pyenv", "versions", v, "bin", "python" + v.substring(0, 3)))
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(old != null, "no Python older than 3.8 on this machine (looked in ~/.pyenv/versions)");

        assertThatThrownBy(() -> DriverPython.discover(Map.of(DriverPython.DRIVER_PYTHON_CONF, old.toString()), NO_SPARK_HOME, Map.of()))
                .isInstanceOf(PythonUnavailableException.class)
                .hasMessageMatching("(?s).*is Python [23]\\.[0-7]\\.\\d+; Sparkgate needs Python 3.8 or later.*");
    }

    @Test
    @DisplayName("PySpark is found in a Spark home's python/ with its py4j zip, and its version reported")
    void findsPySparkInSparkHome(@TempDir Path sparkHome) throws IOException {
        // given a Spark home laid out like a distribution, with a (tiny) pyspark and py4j
        fakeSparkHome(sparkHome, "3.5.9");

        // when the session's Python is discovered
        DriverPython python = DriverPython.discover(Map.of(), new PythonSettings(SYSTEM_PYTHON, sparkHome.toString(), false), Map.of());

        // then it imports that PySpark
        assertThat(python.hasPySpark()).isTrue();
        assertThat(python.pysparkVersion()).contains("3.5.9");
        assertThat(python.pysparkPath()).containsExactly(
                sparkHome.resolve("python").toString(),
                sparkHome.resolve("python/lib/py4j-0.10.9.7-src.zip").toString());
        assertThat(python.missingPySparkMessage(BUNDLED_SPARK)).isEmpty();
    }

    @Test
    @DisplayName("without PySpark the message names the Python, the reason, and what to do: pip, SPARK_HOME, plain Python")
    void missingPySpark(@TempDir Path notASparkHome) {
        DriverPython python = DriverPython.discover(Map.of(),
                new PythonSettings(SYSTEM_PYTHON, notASparkHome.toString(), false), Map.of());

        assertThat(python.hasPySpark()).isFalse();
        assertThat(python.pysparkVersion()).isEmpty();
        assertThat(python.missingPySparkMessage(BUNDLED_SPARK)).hasValueSatisfying(message -> assertThat(message)
                .contains("has no PySpark")
                .contains("the Spark home " + notASparkHome + " has no python/pyspark")
                .containsSubsequence(python.executable() + " -m pip install pyspark==" + BUNDLED_SPARK,
                        "set SPARK_HOME to a Spark 3.5 distribution", "SPARKGATE_PYTHON_WITHOUT_PYSPARK=true"));
        assertThatThrownBy(() -> python.requirePySpark(BUNDLED_SPARK, false)).isInstanceOf(PythonUnavailableException.class)
                .hasMessageContaining("has no PySpark");
    }

    @Test
    @DisplayName("a pyspark session whose Python has no PySpark refuses to start, saying to pip install the bundled Spark's")
    void pysparkSessionWithoutPySparkRefusesToStart() {
        SessionSpec spec = TestPython.session(new PythonSettings(SYSTEM_PYTHON, null, false), Map.of());

        assertThatThrownBy(() -> PythonInterpreter.start(spec, null))
                .isInstanceOf(PythonUnavailableException.class)
                .hasMessageContaining("has no PySpark: no Spark home is configured")
                .hasMessageContaining("-m pip install pyspark==" + BUNDLED_SPARK + ",")
                .hasMessageContaining("set SPARK_HOME to a Spark 3.5 distribution");
    }

    @Test
    @DisplayName("the REPL program lists every file of its resource directory")
    void replProgramIsComplete() throws Exception {
        Path resources = Path.of(ReplProgram.class.getClassLoader().getResource(ReplProgram.RESOURCE_DIR).toURI());
        try (Stream<Path> files = Files.walk(resources)) {
            List<String> onDisk = files.filter(Files::isRegularFile)
                    .map(f -> resources.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> f.endsWith(".py"))
                    .toList();
            assertThat(ReplProgram.FILES).containsExactlyInAnyOrderElementsOf(onDisk);
        }
    }

    /** A Spark home whose pyspark is just a version number, and whose py4j zip holds an empty package. */
    static void fakeSparkHome(Path home, String version) throws IOException {
        Path pyspark = Files.createDirectories(home.resolve("python/pyspark"));
        Files.writeString(pyspark.resolve("__init__.py"), "__version__ = '" + version + "'\n");
        Path lib = Files.createDirectories(home.resolve("python/lib"));
        try (OutputStream file = Files.newOutputStream(lib.resolve("py4j-0.10.9.7-src.zip"));
             ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("py4j/__init__.py"));
            zip.write("\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}
