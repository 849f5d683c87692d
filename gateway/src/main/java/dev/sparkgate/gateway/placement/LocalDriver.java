package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.driver.DriverRuntime;
import dev.sparkgate.gateway.driver.DriverRuntimes;
import dev.sparkgate.gateway.driver.DriverProcess;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.SessionView.ExecutorView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One session's driver as a process on this machine: a JVM in a working directory of its own (deleted when it
 * exits), its output in the session's log, its executors where the cluster placed them.
 */
final class LocalDriver implements PlacedDriver {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDriver.class);

    private final LocalPlacement placement;
    private final int sessionId;
    private final ExecutorPlacement executors;
    /** The Spark line chosen at placement (no executor image), or null until the version check chooses it. */
    private final String runtimeLine;
    private final AtomicBoolean released = new AtomicBoolean();
    private DriverProcess process;
    private boolean stopped;

    LocalDriver(LocalPlacement placement, int sessionId, ExecutorPlacement executors, String runtimeLine) {
        this.placement = placement;
        this.sessionId = sessionId;
        this.executors = executors;
        this.runtimeLine = runtimeLine;
    }

    @Override
    public Map<String, String> sparkConf() {
        if (runtimeLine == null) {
            return executors.sparkConf();
        }
        Map<String, String> conf = new java.util.LinkedHashMap<>(executors.sparkConf());
        conf.put(DriverRuntimes.CHOICE_CONF, runtimeLine);
        return conf;
    }

    @Override
    public Optional<ExecutorImage> executorImage() {
        return executors.image();
    }

    /** Starts the JVM, unless the session was deleted first: then no driver is left behind without a session. */
    @Override
    public synchronized void launch(DriverLaunch launch) throws IOException {
        if (stopped) {
            return;
        }
        // Unique even across gateways sharing a work dir: a directory is deleted when its driver exits.
        Path workDir = Files.createTempDirectory(Files.createDirectories(placement.workDir()), "session-" + sessionId + "-");
        Path tmp = Files.createDirectories(workDir.resolve("tmp"));
        // Livy's driverMemory became spark.driver.memory, as Zeppelin's Livy interpreter sends it: it sizes the JVM.
        String heap = launch.spec().sparkConf().getOrDefault("spark.driver.memory", placement.defaultHeap());
        try {
            Path secret = LocalSecretFile.write(workDir, launch.secret());
            DriverRuntime runtime = placement.runtimes().chosenBy(launch.spec().sparkConf().get(DriverRuntimes.CHOICE_CONF));
            process = DriverProcess.start(runtime.command(heap, tmp), environment(launch, secret), workDir,
                    launch.log(), exitCode -> {
                        try {
                            launch.onExit().accept(exitCode);
                        } finally {
                            release();
                            deleteQuietly(workDir);
                        }
                    });
        } catch (IOException | RuntimeException e) {
            // No driver, so nothing will delete the directory and the secret in it: do it now.
            deleteQuietly(workDir);
            throw e;
        }
        LOG.info("session {}: driver JVM started (pid {})", sessionId, process.pid());
    }

    /**
     * The driver's whole environment: what it needs to run (the allow-listed part of the gateway's), to reach the
     * executors' cluster, to dial back and to know its session. Nothing else of the gateway's (see
     * {@link DriverEnvironment}).
     */
    private Map<String, String> environment(DriverLaunch launch, Path secret) {
        Map<String, String> env = DriverEnvironment.inherited(System.getenv());
        env.putAll(executors.driverEnvironment());
        env.put("SPARKGATE_DRIVER_LINK", placement.linkAddress().apply(sessionId).toString());
        env.put(LocalSecretFile.ENV, secret.toString());
        env.put("SPARKGATE_SESSION_SPEC", Json.write(launch.spec()));
        return env;
    }

    @Override
    public void stop(Duration grace) {
        DriverProcess running;
        synchronized (this) {
            stopped = true;
            running = process;
        }
        if (running != null) {
            running.stop(grace.toMillis());
        }
        release();
    }

    @Override
    public List<ExecutorView> executors() {
        return executors.executors();
    }

    @Override
    public void release() {
        if (released.compareAndSet(false, true)) {
            executors.release();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
