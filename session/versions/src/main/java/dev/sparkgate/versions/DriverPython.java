package dev.sparkgate.versions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.SessionSpec.PythonSettings;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The session's driver Python, as found and asked: which executable, its version, and the PySpark it can
 * import. Discovery runs the Python once (a probe that imports pyspark), so what it reports is what a
 * session would get; the version check compares these numbers with the executor image's.
 *
 * <p>The executable is, in order: Spark conf {@value #DRIVER_PYTHON_CONF}, env {@code PYSPARK_DRIVER_PYTHON},
 * env {@code PYSPARK_PYTHON}, {@link PythonSettings#defaultPython()}. PySpark's Python side comes from
 * {@link PythonSettings#sparkHome()} when that is a Spark home with {@code python/}, else from whatever the
 * Python already imports (a pip-installed pyspark).
 */
public final class DriverPython {

    public static final String DRIVER_PYTHON_CONF = "spark.pyspark.driver.python";
    private static final long PROBE_TIMEOUT_SECONDS = 60;

    private final String requested;
    private final String chosenBy;
    private final String executable;
    private final String pythonVersion;
    private final String pysparkVersion;
    private final String pysparkLocation;
    private final String pysparkProblem;
    private final List<String> pysparkPath;
    private final String existingPythonPath;

    private DriverPython(String requested, String chosenBy, String executable, String pythonVersion,
                         String pysparkVersion, String pysparkLocation, String pysparkProblem,
                         List<String> pysparkPath, String existingPythonPath) {
        this.requested = requested;
        this.chosenBy = chosenBy;
        this.executable = executable;
        this.pythonVersion = pythonVersion;
        this.pysparkVersion = pysparkVersion;
        this.pysparkLocation = pysparkLocation;
        this.pysparkProblem = pysparkProblem;
        this.pysparkPath = pysparkPath;
        this.existingPythonPath = existingPythonPath;
    }

    /** Finds and asks the Python of this session, with the driver's own environment. */
    public static DriverPython discover(SessionSpec spec) {
        return discover(spec.sparkConf(), spec.python(), System.getenv());
    }

    /**
     * Finds and asks the Python that {@code sparkConf}, {@code settings} and {@code env} name.
     *
     * @throws PythonUnavailableException when that Python cannot be run or is older than 3.8
     */
    public static DriverPython discover(Map<String, String> sparkConf, PythonSettings settings,
                                        Map<String, String> env) {
        PythonSettings python = settings != null ? settings : PythonSettings.defaults();
        Choice choice = choose(sparkConf != null ? sparkConf : Map.of(), python, env);
        // A driver in a pod of its own runs the image's Spark: its SPARK_HOME is the image's, which only the pod knows.
        PySparkLocation location = PySparkLocation.inSparkHome(python.sparkHome() != null ? python.sparkHome()
                : env.get("SPARK_HOME"));
        String existingPythonPath = env.get("PYTHONPATH");
        String pythonPath = joinPath(location.pythonPath(), existingPythonPath);

        JsonNode report = probe(choice.executable(), choice.setting(), pythonPath);
        String version = report.path("python").asText();
        if (!atLeast3dot8(version)) {
            throw new PythonUnavailableException("The session's Python " + choice.executable() + " (from " + choice.setting()
                    + ") is Python " + version + "; Sparkgate needs Python 3.8 or later. "
                    + fixExecutable());
        }
        String pyspark = report.path("pyspark").isTextual() ? report.path("pyspark").asText() : null;
        String problem = null;
        if (pyspark == null) {
            problem = location.problem() != null
                    ? location.problem() + ", and " + report.path("problem").asText("pyspark is not importable")
                    : report.path("problem").asText("pyspark is not importable");
        }
        return new DriverPython(choice.executable(), choice.setting(),
                report.path("executable").asText(choice.executable()), version,
                pyspark, report.path("pysparkLocation").isTextual() ? report.path("pysparkLocation").asText() : null,
                problem, pyspark != null ? location.pythonPath() : List.of(), existingPythonPath);
    }

    /** The configured executable and the setting it came from. */
    private record Choice(String executable, String setting) {
    }

    private static Choice choose(Map<String, String> sparkConf, PythonSettings settings, Map<String, String> env) {
        if (notBlank(sparkConf.get(DRIVER_PYTHON_CONF))) {
            return new Choice(sparkConf.get(DRIVER_PYTHON_CONF), "Spark conf " + DRIVER_PYTHON_CONF);
        }
        for (String variable : List.of("PYSPARK_DRIVER_PYTHON", "PYSPARK_PYTHON")) {
            if (notBlank(env.get(variable))) {
                return new Choice(env.get(variable), "env " + variable);
            }
        }
        String fallback = notBlank(settings.defaultPython()) ? settings.defaultPython() : "python3";
        return new Choice(fallback, "the driver's default Python");
    }

    private static JsonNode probe(String executable, String chosenBy, String pythonPath) {
        ProcessBuilder builder = new ProcessBuilder(executable, "-c", probeSource())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        if (pythonPath != null) {
            builder.environment().put("PYTHONPATH", pythonPath);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new PythonUnavailableException("The session's Python " + executable + " (from " + chosenBy
                    + ") cannot be run: " + rootMessage(e) + ". " + fixExecutable(), e);
        }
        try (InputStream out = process.getInputStream()) {
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(out));
            if (!process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new PythonUnavailableException("The session's Python " + executable + " (from " + chosenBy
                        + ") did not answer within " + PROBE_TIMEOUT_SECONDS + " s. " + fixExecutable());
            }
            String text = new String(answer.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            String lastLine = text.substring(text.lastIndexOf('\n') + 1);
            if (process.exitValue() != 0 || !lastLine.startsWith("{")) {
                throw new PythonUnavailableException("The session's Python " + executable + " (from " + chosenBy
                        + ") failed to report its version (exit code " + process.exitValue() + "). "
                        + fixExecutable());
            }
            return Json.MAPPER.readTree(lastLine);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new PythonUnavailableException("Interrupted while asking " + executable + " for its version", e);
        } catch (PythonUnavailableException e) {
            throw e;
        } catch (Exception e) {
            throw new PythonUnavailableException("Cannot read the report of the session's Python " + executable
                    + ": " + rootMessage(e), e);
        }
    }

    /** The probe that reports a Python's version and PySpark, run as {@code python -c <source>}. */
    private static String probeSource() {
        try (InputStream in = DriverPython.class.getResourceAsStream("/sparkgate/versions/probe.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("The probe of Python versions is missing from sparkgate-versions.jar", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The executable as configured (a name or a path). */
    public String requested() {
        return requested;
    }

    /** Which setting chose the executable, for messages: e.g. "env PYSPARK_PYTHON". */
    public String chosenBy() {
        return chosenBy;
    }

    /** The absolute path of the executable, as the Python itself reports it. */
    public String executable() {
        return executable;
    }

    /** major.minor.patch, e.g. "3.11.2". */
    public String pythonVersion() {
        return pythonVersion;
    }

    /** The version of the PySpark this Python imports (with the Spark home's path), or empty. */
    public Optional<String> pysparkVersion() {
        return Optional.ofNullable(pysparkVersion);
    }

    public boolean hasPySpark() {
        return pysparkVersion != null;
    }

    /** The entries a session puts in front of {@code PYTHONPATH} to import PySpark from the Spark home. */
    public List<String> pysparkPath() {
        return pysparkPath;
    }

    /** The {@code PYTHONPATH} for the session's Python: PySpark's entries, then the driver's own. */
    public String pythonPath() {
        return joinPath(pysparkPath, existingPythonPath);
    }

    /**
     * Why this Python has no PySpark and what to do, in the order most users can: install PySpark of the driver's
     * Spark ({@code sparkVersion}) into it with pip, else point {@code SPARK_HOME} at a Spark distribution, else run
     * plain Python. Empty when it has one.
     */
    public Optional<String> missingPySparkMessage(String sparkVersion) {
        if (pysparkVersion != null) {
            return Optional.empty();
        }
        Version spark = requireVersion(sparkVersion);
        return Optional.of("The session's Python " + executable + " (Python " + pythonVersion + ", from " + chosenBy
                + ") has no PySpark: " + pysparkProblem + ". Install PySpark of the driver's Spark " + spark
                + " into that Python (" + pipInstall(spark) + ", or into a virtualenv that SPARKGATE_PYTHON or "
                + DRIVER_PYTHON_CONF + " names); or set SPARK_HOME to a Spark " + spark.minorLine() + " distribution "
                + "(its python/ and python/lib/py4j-*-src.zip are used); or, for plain Python without spark and sc, "
                + "start the gateway with SPARKGATE_PYTHON_WITHOUT_PYSPARK=true.");
    }

    /**
     * Why this Python's PySpark cannot drive the driver's Spark ({@code sparkVersion}) and what to do: PySpark speaks
     * to the JVM through Spark's internals, which change between minors, so major.minor must be equal (a patch
     * difference works, as between driver and executors). Empty when they fit or there is no PySpark.
     */
    public Optional<String> mismatchedPySparkMessage(String sparkVersion) {
        if (pysparkVersion == null) {
            return Optional.empty();
        }
        Version spark = requireVersion(sparkVersion);
        if (spark.sameMinor(Version.parse(pysparkVersion))) {
            return Optional.empty();
        }
        return Optional.of("The session's Python " + executable + " (Python " + pythonVersion + ", from " + chosenBy
                + ") has PySpark " + pysparkVersion + (pysparkLocation != null ? " (" + pysparkLocation + ")" : "")
                + ", the driver runs Spark " + spark + ": PySpark must be of the driver's Spark " + spark.minorLine()
                + ". Install the matching PySpark into that Python (" + pipInstall(spark) + "), or set SPARK_HOME to a "
                + "Spark " + spark.minorLine() + " distribution, whose python/ then comes first.");
    }

    /**
     * Refuses a PySpark of another Spark minor than {@code sparkVersion}, always, and a missing PySpark unless
     * {@code plainPythonAllowed} (the operator's {@code SPARKGATE_PYTHON_WITHOUT_PYSPARK}).
     *
     * @throws PythonUnavailableException with {@link #mismatchedPySparkMessage} or {@link #missingPySparkMessage}
     */
    public void requirePySpark(String sparkVersion, boolean plainPythonAllowed) {
        Optional<String> problem = mismatchedPySparkMessage(sparkVersion);
        if (problem.isEmpty() && !plainPythonAllowed) {
            problem = missingPySparkMessage(sparkVersion);
        }
        problem.ifPresent(message -> {
            throw new PythonUnavailableException(message);
        });
    }

    /** The command that gives this Python the PySpark of {@code spark}: what PyPI users do first. */
    private String pipInstall(Version spark) {
        return executable + " -m pip install pyspark==" + spark;
    }

    private static Version requireVersion(String sparkVersion) {
        Version version = Version.parse(sparkVersion);
        if (version == null) {
            throw new IllegalArgumentException("Not a Spark version: " + sparkVersion);
        }
        return version;
    }

    @Override
    public String toString() {
        return "Python " + pythonVersion + " at " + executable + " (from " + chosenBy + "), "
                + (pysparkVersion != null ? "PySpark " + pysparkVersion : "no PySpark");
    }

    private static String fixExecutable() {
        return "Set " + DRIVER_PYTHON_CONF + " (or PYSPARK_DRIVER_PYTHON) to a Python 3.8+ executable.";
    }

    private static String joinPath(List<String> first, String then) {
        List<String> entries = new ArrayList<>(first);
        if (notBlank(then)) {
            entries.add(then);
        }
        return entries.isEmpty() ? null : String.join(File.pathSeparator, entries);
    }

    private static boolean atLeast3dot8(String version) {
        String[] parts = version.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 3 || (major == 3 && minor >= 8);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
