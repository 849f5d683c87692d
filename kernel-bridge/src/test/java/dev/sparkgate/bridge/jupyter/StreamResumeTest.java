package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.bridge.testing.DroppingProxy;
import dev.sparkgate.bridge.testing.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernel's stream survives the network and the gateway: with a proxy between the kernel and the gateway that drops
 * every connection mid-cell, a Jupyter cell printing every 200 ms still completes in the notebook with every line
 * exactly once; and so it does when the gateway itself is killed ({@code kill -9}) mid-cell and started again on its
 * port and work directory. Driven by Jupyter's own client ({@code src/test/python/test_stream_resume.py},
 * {@code test_gateway_restart.py}).
 */
class StreamResumeTest {

    private static final String TOKEN = "stream-resume-token";
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path DATA_DIR = TARGET.resolve("jupyter-data-resume");

    private static volatile GatewayProcess gateway;
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

    @Test
    void aCellRunningWhileTheGatewayIsKilledAndRestartedCompletesWithEveryLineOnce() throws IOException {
        // a connection to this port kills the gateway (kill -9) and starts it again on its port and work directory,
        // then answers "restarted": the Python test asks for it mid-cell
        try (ServerSocket control = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread restarter = new Thread(() -> {
                try (Socket asked = control.accept()) {
                    gateway = gateway.killAndRestart();
                    asked.getOutputStream().write("restarted\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException | RuntimeException e) {
                    // the Python test sees the connection close without the answer, and fails saying so
                }
            }, "gateway-restarter");
            restarter.setDaemon(true);
            restarter.start();
            Map<String, String> env = new HashMap<>(DebianJupyter.environment(TARGET, DATA_DIR, gateway));
            env.put("SPARKGATE_TEST_RESTART_CONTROL", String.valueOf(control.getLocalPort()));
            DebianJupyter.runTests("test_gateway_restart", env, Duration.ofMinutes(6));
        }
    }
}
