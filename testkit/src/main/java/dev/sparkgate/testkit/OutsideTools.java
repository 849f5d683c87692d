package dev.sparkgate.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every tool outside Java and Maven that the tests use, with what installs it: the same list {@code .ci/run} installs
 * on Debian. A test says {@code OutsideTools.KUBECTL.require()}; see {@link Tool#require()} for skip or fail.
 */
public final class OutsideTools {

    private static final String APT = "apt-get install -y --no-install-recommends ";

    /** The driver Python of the tests: Debian's, whose packages below give it pandas, matplotlib and Jupyter. */
    public static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    public static final Tool PYTHON3 = Tool.executable("Debian's python3", DEBIAN_PYTHON, APT + "python3");

    /** A second driver Python of another minor (PyPy speaks Python 3.9), for the version check's choice. */
    public static final Tool PYPY3 = Tool.executable("PyPy (a Python 3.9)", Path.of("/usr/bin/pypy3"), APT + "pypy3");

    public static final Tool PANDAS = Tool.pythonModules("pandas for Debian's python3", DEBIAN_PYTHON,
            List.of("pandas"), APT + "python3-pandas");

    public static final Tool MATPLOTLIB = Tool.pythonModules("matplotlib for Debian's python3", DEBIAN_PYTHON,
            List.of("matplotlib"), APT + "python3-matplotlib");

    /** Jupyter's own tools: the kernel test suite, nbclient, jupyter_client, Jupyter Server and a WebSocket client. */
    public static final Tool JUPYTER = Tool.pythonModules("Jupyter's tools for Debian's python3", DEBIAN_PYTHON,
            List.of("jupyter_client", "jupyter_kernel_test", "nbclient", "nbformat", "jupyter_server", "websocket"),
            APT + "jupyter-client python3-jupyter-kernel-test python3-nbclient jupyter-console python3-ipykernel "
                    + "jupyter-server python3-nbformat python3-websocket");

    /** Debian's Chromium and its driver; the system properties point the browser tests at others. */
    public static final Path CHROMIUM_PATH = Path.of(System.getProperty("sparkgate.test.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER_PATH =
            Path.of(System.getProperty("sparkgate.test.chromedriver", "/usr/bin/chromedriver"));
    public static final Tool CHROMIUM = new Tool("headless Chromium and chromedriver",
            APT + "chromium chromium-driver fonts-liberation", () -> {
        for (Path path : List.of(CHROMIUM_PATH, CHROMEDRIVER_PATH)) {
            if (!Files.isExecutable(path)) {
                return Optional.of(path + " is not there");
            }
        }
        return Optional.empty();
    });

    /** Apache's htpasswd (Debian's {@code apache2-utils}), which writes the users file's BCrypt lines as operators do. */
    public static final Tool HTPASSWD = Tool.command("htpasswd", APT + "apache2-utils");

    /** Debian's JupyterHub 3.0 and its proxy, which the users tests start with a dummy authenticator. */
    public static final Tool JUPYTERHUB = Tool.executable("JupyterHub (Debian's, with configurable-http-proxy)",
            Path.of("/usr/bin/jupyterhub"), APT + "jupyterhub node-configurable-http-proxy");

    /** kubectl, whose built-in kustomize renders the manifests and which talks to the emulated cluster. */
    public static final Tool KUBECTL = Tool.command("kubectl", APT + "kubernetes-client");

    /** Prometheus and promtool (Debian's {@code prometheus}), which scrape and lint the gateway's /metrics. */
    public static final Tool PROMETHEUS = new Tool("Prometheus and promtool", APT + "prometheus", () -> {
        for (Path path : List.of(Path.of("/usr/bin/prometheus"), Path.of("/usr/bin/promtool"))) {
            if (!Files.isExecutable(path)) {
                return Optional.of(path + " is not there");
            }
        }
        return Optional.empty();
    });

    /** Compose v1 ({@code docker-compose}, Debian's package), else Docker's compose plugin. */
    public static final Tool COMPOSE = new Tool("docker-compose", APT + "docker-compose",
            () -> composeCommand().isPresent() ? Optional.empty()
                    : Optional.of("neither docker-compose nor the docker compose plugin is on the PATH"));

    /** The variable naming a Spark home whose {@code python/} holds PySpark's Python side, for the PySpark tests. */
    public static final String SPARK_HOME_VARIABLE = "SPARKGATE_TEST_SPARK_HOME";

    /** PySpark's Python side; no registry our machines reach carries it, so CI unpacks a copy kept beside the repo. */
    public static final Tool PYSPARK = pysparkIn("PySpark's Python side", SPARK_HOME_VARIABLE, "3.5",
            "pyspark-3.5.1-python.tar.gz");

    /** The variable naming a Spark home whose {@code python/} holds PySpark 4.1's Python side. */
    public static final String SPARK41_HOME_VARIABLE = "SPARKGATE_TEST_SPARK41_HOME";

    /** PySpark 4.1's Python side, for Python on the Spark 4.1 runtime; CI unpacks it as it does 3.5's. */
    public static final Tool PYSPARK41 = pysparkIn("PySpark 4.1's Python side", SPARK41_HOME_VARIABLE, "4.1",
            "pyspark-4.1.0.dev0-python.tar.gz");

    /** A Spark {@code line} home with {@code python/pyspark}, named by {@code variable}; .ci/run unpacks {@code archive}. */
    private static Tool pysparkIn(String name, String variable, String line, String archive) {
        return new Tool(name + " (" + variable + ")", "export " + variable + " as a Spark " + line
                + " home with python/pyspark and python/lib/py4j-*-src.zip (.ci/run unpacks ../shared/pyspark/" + archive
                + " for it)", () -> {
            String home = System.getenv(variable);
            if (home == null || home.isBlank()) {
                return Optional.of(variable + " is not set");
            }
            return Files.isDirectory(Path.of(home, "python", "pyspark")) ? Optional.empty()
                    : Optional.of(variable + "=" + home + " has no python/pyspark");
        });
    }

    private OutsideTools() {
    }

    /** The Spark home of {@link #PYSPARK}, after requiring it. */
    public static Path sparkHome() {
        PYSPARK.require();
        return Path.of(System.getenv(SPARK_HOME_VARIABLE));
    }

    /** The command that runs Compose on this machine: {@code docker-compose}, else {@code docker compose}. */
    public static Optional<List<String>> composeCommand() {
        Optional<Path> v1 = Tool.onPath("docker-compose");
        if (v1.isPresent()) {
            return Optional.of(List.of(v1.get().toString()));
        }
        Optional<Path> docker = Tool.onPath("docker");
        if (docker.isPresent() && Tool.runs(List.of(docker.get().toString(), "compose", "version"))) {
            return Optional.of(List.of(docker.get().toString(), "compose"));
        }
        return Optional.empty();
    }
}
