package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.bridge.testing.DroppingProxy;
import dev.sparkgate.bridge.testing.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;

/**
 * The kernel's stream survives the network: with a proxy between the kernel and the gateway that drops every
 * connection mid-cell, a Jupyter cell printing every 200 ms still completes in the notebook with every line exactly
 * once. Driven by Jupyter's own client ({@code src/test/python/test_stream_resume.py}).
 */
class StreamResumeTest {

    private static final String TOKEN = "stream-resume-token";
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path DATA_DIR = TARGET.resolve("jupyter-data-resume");

    private static GatewayProcess gateway;
    private static DroppingProxy proxy;

    @BeforeAll
    static void startGatewayBehindAProxy() throws IOException {
        DebianJupyter.requireInstalled();
        gateway = GatewayProcess.start(Map.of("SPARKGATE_TOKEN", TOKEN));
        proxy = DroppingProxy.to(gateway.port());
        deleteRecursively(DATA_DIR);
        String classpath = TARGET.resolve("classes") + File.pathSeparator + TARGET.resolve("lib") + File.separator + "*";
        // the kernels reach the gateway only through the proxy
        InstallKernelspecs.install(InstallKernelspecs.Options.parse(new String[] {
                "--gateway", "http://127.0.0.1:" + proxy.port(), "--token", TOKEN, "--kinds", "scala",
                "--data-dir", DATA_DIR.toString(), "--classpath", classpath}, Map.of()));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aCellWhoseStreamDropsTwiceCompletesWithEveryLineOnce() {
        DebianJupyter.runTests("test_stream_resume", Map.of(
                "JUPYTER_PATH", DATA_DIR.toString(),
                "JUPYTER_DATA_DIR", TARGET.resolve("jupyter-user-data").toString(),
                "JUPYTER_CONFIG_DIR", TARGET.resolve("jupyter-config").toString(),
                "JUPYTER_RUNTIME_DIR", TARGET.resolve("jupyter-runtime").toString(),
                "SPARKGATE_TEST_GATEWAY_URL", gateway.uri().toString(),
                "SPARKGATE_TEST_GATEWAY_TOKEN", TOKEN,
                "SPARKGATE_TEST_PROXY_CONTROL", String.valueOf(proxy.controlPort())), Duration.ofMinutes(6));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
