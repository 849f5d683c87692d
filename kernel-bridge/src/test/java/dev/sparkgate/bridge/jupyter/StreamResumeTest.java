package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.bridge.testing.DroppingProxy;
import dev.sparkgate.bridge.testing.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
        String classpath = TARGET.resolve("classes") + File.pathSeparator + TARGET.resolve("lib") + File.separator + "*";
        // the kernels reach the gateway only through the proxy
        DebianJupyter.installKernelspecs(DATA_DIR, "--gateway", "http://127.0.0.1:" + proxy.port(), "--token", TOKEN,
                "--kinds", "scala", "--classpath", classpath);
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
        Map<String, String> env = new HashMap<>(DebianJupyter.environment(TARGET, DATA_DIR, gateway));
        env.put("SPARKGATE_TEST_PROXY_CONTROL", String.valueOf(proxy.controlPort()));
        DebianJupyter.runTests("test_stream_resume", env, Duration.ofMinutes(6));
    }
}
