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
 * exits), its output in the session's log, its executors where the cluster placed them, and its session recorded
 * ({@link LocalRecords}) while it runs, so that a restarted gateway takes it back ({@link #reattach}).
 */
final class LocalDriver implements PlacedDriver {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDriver.class);

    private final LocalPlacement placement;
    private final int sessionId;
    private final ExecutorPlacement executors;
    /** The Spark line chosen at placement (no executor image), or null until the version check chooses it. */
    private final String runtimeLine;
    private final AtomicBoolean released = new AtomicBoolean();
    /** Where a driver found after a restart runs; null for one this gateway launches. */
    private final LocalRecords.Where found;
    private DriverProcess process;
    private boolean stopped;
    /** A warm driver taken from the pool for this session, until it is launched (handed over) or given back. */
    private PooledDriver pooled;

    /**
     * {@code runtimeLine}: the Spark line chosen at placement, or null for the version check to choose; {@code found}:
     * where a driver found after a restart runs, or null for one this gateway launches.
     */
    LocalDriver(LocalPlacement placement, int sessionId, ExecutorPlacement executors, String runtimeLine,
                LocalRecords.Where found, PooledDriver pooled) {
        this.pooled = pooled;
        this.placement = placement;
        this.sessionId = sessionId;
        this.executors = executors;
        this.runtimeLine = runtimeLine;
        this.found = found;
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
        if (pooled != null && launchPooled(launch)) {
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
                    launch.log(), exitCode -> ended(launch, exitCode, workDir));
            remember(launch, workDir, secret);
        } catch (IOException | RuntimeException e) {
            // No driver, so nothing will delete the directory and the secret in it: do it now.
            deleteQuietly(workDir);
            throw e;
        }
        LOG.info("session {}: driver JVM started (pid {})", sessionId, process.pid());
    }

    /**
     * Hands the pooled driver to the session: it dials back at once, warm. False when it ended meanwhile: the session
     * then starts cold.
     */
    private boolean launchPooled(DriverLaunch launch) {
        PooledDriver taken = pooled;
        pooled = null;
        Path workDir = taken.workDir();
        try {
            Path secret = taken.take(placement.linkAddress().apply(sessionId), launch.secret(), launch.spec(),
                    launch.log(), exitCode -> ended(launch, exitCode, workDir));
            process = taken.process();
            remember(launch, workDir, secret);
            LOG.info("session {}: took a {} driver from the warm pool (pid {})", sessionId,
                    taken.warm() ? "warm" : "still warming", process.pid());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.info("session {}: the pooled driver is gone ({}); starting one cold", sessionId, e.getMessage());
            return false;
        }
    }

    /**
     * Records the session beside its driver. A driver that exited meanwhile has had its record deleted already, or
     * never will: its record goes here. A record that cannot be written costs the session its restart, not its start.
     */
    private void remember(DriverLaunch launch, Path workDir, Path secret) {
        try {
            String started = DriverProcess.startOf(process.handle()).map(Object::toString).orElse(null);
            placement.records().write(sessionId, launch.record(),
                    new LocalRecords.Where(process.pid(), started, workDir.toString(), secret.toString()));
            if (!process.isAlive()) {
                placement.records().delete(sessionId);
            }
        } catch (RuntimeException e) {
            LOG.warn("session {}: not recorded, so it will not survive a gateway restart: {}", sessionId, e.getMessage());
        }
    }

    /** The driver exited: its session hears it, its executors, its record and its working directory go. */
    private void ended(DriverLaunch launch, int exitCode, Path workDir) {
        try {
            launch.onExit().accept(exitCode);
        } finally {
            release();
            placement.records().delete(sessionId);
            deleteQuietly(workDir);
        }
    }

    /**
     * Follows the driver an earlier gateway started: the same process (its pid and its start time match the record),
     * or, when it is gone, its exit at once.
     */
    @Override
    public synchronized void reattach(DriverLaunch launch) {
        Path workDir = Path.of(found.workDir());
        Optional<ProcessHandle> running = ProcessHandle.of(found.pid()).filter(ProcessHandle::isAlive)
                .filter(p -> found.started() == null
                        || DriverProcess.startOf(p).map(Object::toString).orElse("").equals(found.started()));
        if (running.isPresent()) {
            try {
                process = DriverProcess.attach(running.get(), workDir, launch.log(),
                        exitCode -> ended(launch, exitCode, workDir));
                LOG.info("session {}: driver JVM found running (pid {})", sessionId, found.pid());
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("session {}: cannot follow the driver's log in {}: {}", sessionId, workDir, e.toString());
                running.get().destroyForcibly();
            }
        }
        launch.log().append("sparkgate: the driver process (pid " + found.pid() + ") ended while no gateway watched it");
        ended(launch, DriverProcess.EXIT_UNKNOWN, workDir);
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
        PooledDriver unused;
        synchronized (this) {
            unused = pooled;
            pooled = null;
        }
        if (unused != null) {
            // Never launched (refused, or deleted while waiting): it served no one, so it may serve another.
            placement.pool().giveBack(unused);
        }
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
