package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.bridge.testing.GatewayProcess;
import dev.sparkgate.testkit.OutsideTools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jupyter's own tools, as Debian packages them for its {@code /usr/bin/python3}: the Python tests in
 * {@code src/test/python} run with them, one {@code python3 -m unittest} per module, their output going to this test's
 * log as it comes.
 */
final class DebianJupyter {

    static final Path PYTHON = OutsideTools.DEBIAN_PYTHON;
    private static final Path TESTS = Path.of("src/test/python").toAbsolutePath();
    private static final int TAIL_LINES = 120;

    private DebianJupyter() {
    }

    /**
     * Skips (fails, in CI), naming the packages to install, unless Debian's Python has every Jupyter tool the tests
     * use.
     */
    static void requireInstalled() {
        OutsideTools.JUPYTER.require();
    }

    /**
     * What Jupyter reads from the environment, all pointing into {@code target} (never at the user's own setup), with
     * kernelspecs from {@code kernelspecs}, and the gateway the Python tests talk to.
     */
    static Map<String, String> environment(Path target, Path kernelspecs, GatewayProcess gateway) {
        return Map.of(
                "JUPYTER_PATH", kernelspecs.toString(),
                "JUPYTER_DATA_DIR", target.resolve("jupyter-user-data").toString(),
                "JUPYTER_CONFIG_DIR", target.resolve("jupyter-config").toString(),
                "JUPYTER_RUNTIME_DIR", target.resolve("jupyter-runtime").toString(),
                "SPARKGATE_TEST_GATEWAY_URL", gateway.uri().toString(),
                "SPARKGATE_TEST_GATEWAY_TOKEN", gateway.token(),
                "SPARKGATE_TEST_LOG_DIR", target.toString());
    }

    /** Installs the kernelspecs of {@code args} (the installer's options) into a fresh {@code dataDir}. */
    static void installKernelspecs(Path dataDir, String... args) throws IOException {
        if (Files.exists(dataDir)) {
            try (var paths = Files.walk(dataDir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        List<String> options = new ArrayList<>(List.of(args));
        options.addAll(List.of("--data-dir", dataDir.toString()));
        InstallKernelspecs.install(InstallKernelspecs.Options.parse(options.toArray(String[]::new), Map.of()));
    }

    /** Runs one module of the Python tests with {@code env}, and fails with its output's tail unless all pass. */
    static void runTests(String module, Map<String, String> env, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(PYTHON.toString(), "-m", "unittest", "-v", module)
                .directory(TESTS.toFile());
        builder.environment().putAll(env);
        // no __pycache__ in the source tree
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Run run = run(builder, module, timeout);
        assertThat(run.exitCode()).as("python3 -m unittest %s failed:%n%s", module, run.tail()).isZero();
    }

    private record Run(int exitCode, String tail) {
    }

    private static Run run(ProcessBuilder builder, String name, Duration timeout) {
        builder.redirectErrorStream(true);
        Deque<String> tail = new ArrayDeque<>();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + builder.command(), e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println("[" + name + "] " + line);
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException closed) {
                // the process ended
            }
        }, "python-output-" + name);
        reader.start();
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                // the kernels it started too, so nothing outlives the test
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                reader.join(5000);
                return new Run(-1, "timed out after " + timeout + "\n" + String.join("\n", tail));
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
        synchronized (tail) {
            return new Run(process.exitValue(), String.join("\n", tail));
        }
    }
}
