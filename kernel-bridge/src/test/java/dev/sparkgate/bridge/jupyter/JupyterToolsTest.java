package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.bridge.testing.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Jupyter's real tools against the real gateway jar, through the kernelspecs our installer writes: the kernel test
 * suite, nbclient, plain jupyter_client for the kernel's life and failures, and Jupyter Server in gateway mode.
 * The Python side lives in {@code src/test/python}; see its modules for what each checks.
 */
class JupyterToolsTest {

    private static final String TOKEN = "jupyter-tools-token";
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path DATA_DIR = TARGET.resolve("jupyter-data");

    private static GatewayProcess gateway;

    @BeforeAll
    static void startGatewayAndInstallKernelspecs() throws IOException {
        DebianJupyter.requireInstalled();
        // PySpark is not on CI machines: pyspark sessions run plain Python there.
        gateway = GatewayProcess.start(Map.of("SPARKGATE_TOKEN", TOKEN, "SPARKGATE_PYTHON_WITHOUT_PYSPARK", "true"));
        // The kernels run from the build's classes and libraries: the tests come before the jar is packaged.
        String classpath = TARGET.resolve("classes") + File.pathSeparator + TARGET.resolve("lib") + File.separator + "*";
        DebianJupyter.installKernelspecs(DATA_DIR, "--gateway", gateway.uri().toString(), "--token", TOKEN,
                "--classpath", classpath);
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void jupytersKernelTestSuitePassesForScalaSqlAndPython() {
        DebianJupyter.runTests("test_kernels", environment(), Duration.ofMinutes(10));
    }

    @Test
    void nbclientRunsASampleNotebookAndItsOutputsAreWhatAUserSees() {
        DebianJupyter.runTests("test_notebook", environment(), Duration.ofMinutes(6));
    }

    @Test
    void aKernelOwnsItsSessionAndSaysClearlyWhatIsWrong() {
        DebianJupyter.runTests("test_kernel_lifecycle", environment(), Duration.ofMinutes(6));
    }

    @Test
    void jupyterServerInGatewayModeRunsItsKernelsOnTheGateway() {
        DebianJupyter.runTests("test_gateway_mode", environment(), Duration.ofMinutes(6));
    }

    private static Map<String, String> environment() {
        return DebianJupyter.environment(TARGET, DATA_DIR, gateway);
    }
}
