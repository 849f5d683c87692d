package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.driver.DriverProcess;
import dev.sparkgate.gateway.driver.DriverRuntime;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.PoolClaim;
import dev.sparkgate.protocol.SessionSpec;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A driver JVM started ahead of any session (the driver's pooled mode): Spark up, its interpreters warm, no user's
 * identity, no link, no secret. One session takes it ({@link #take}), once: from then on it is that session's driver,
 * as if started for it. Until then its exit is the pool's business; after, the session's.
 *
 * <p>Its working directory holds {@value #MARKER} (its pid and start time) while it is pooled, so a restarted gateway
 * finds and ends pooled drivers an earlier one left ({@link WarmPool}); taking it removes the marker before the
 * session's record names the directory.
 */
final class PooledDriver {

    static final String MARKER = "pooled.json";
    private static final String CLAIM = "claim.json";
    /** The driver writes it when warm (its {@code SessionDriver.POOL_WARM_FILE}). */
    private static final String WARM = "warm";

    /** What the marker says: enough to tell the process from a later one with its pid. */
    record Marker(long pid, String started) {
    }

    private final String line;
    private final Map<String, String> conf;
    private final Path workDir;
    private final DriverLog log;
    private DriverProcess process;
    private IntConsumer exitTo;
    private boolean exited;
    private boolean taken;

    private PooledDriver(String line, Map<String, String> conf, Path workDir, DriverLog log) {
        this.line = line;
        this.conf = conf;
        this.workDir = workDir;
        this.log = log;
    }

    /**
     * Starts a pooled driver of {@code runtime} in a new directory under {@code poolDir}, with {@code spec} (the
     * pool's: no owner, its confs the ones a session must have to take it); {@code onPoolExit} hears of an exit before
     * a session took it.
     */
    static PooledDriver start(DriverRuntime runtime, String line, SessionSpec spec, String heap, Path poolDir,
                              Map<String, String> environment, IntConsumer onPoolExit) throws IOException {
        Path workDir = Files.createTempDirectory(Files.createDirectories(poolDir), line + "-");
        PooledDriver pooled = new PooledDriver(line, spec.sparkConf(), workDir, new DriverLog(2000));
        pooled.exitTo = onPoolExit;
        Map<String, String> env = new java.util.LinkedHashMap<>(environment);
        env.put("SPARKGATE_POOL_CLAIM_FILE", workDir.resolve(CLAIM).toString());
        env.put("SPARKGATE_POOL_GATEWAY_PID", String.valueOf(ProcessHandle.current().pid()));
        env.put("SPARKGATE_SESSION_SPEC", Json.write(spec));
        Path tmp = Files.createDirectories(workDir.resolve("tmp"));
        pooled.process = DriverProcess.start(runtime.command(heap, tmp), env, workDir, pooled.log, pooled::exited);
        String started = DriverProcess.startOf(pooled.process.handle()).map(Object::toString).orElse(null);
        Files.writeString(workDir.resolve(MARKER), Json.write(new Marker(pooled.process.pid(), started)));
        return pooled;
    }

    private void exited(int code) {
        IntConsumer to;
        synchronized (this) {
            exited = true;
            to = exitTo;
        }
        to.accept(code);
    }

    String line() {
        return line;
    }

    /** The Spark confs it started with: a session must have exactly these to take it. */
    Map<String, String> conf() {
        return conf;
    }

    Path workDir() {
        return workDir;
    }

    DriverProcess process() {
        return process;
    }

    synchronized boolean available() {
        return !exited && !taken;
    }

    /** Whether its Scala compiler, SQL and Python are warm, as the driver said. */
    boolean warm() {
        return Files.exists(workDir.resolve(WARM));
    }

    /** What it has written so far, for the log line of a pooled driver that ended before any session took it. */
    java.util.List<String> lastLines(int lines) {
        return log.tail(lines);
    }

    /**
     * Makes it session {@code spec}'s driver: its secret beside it, its output into the session's {@code sessionLog}
     * (from its first line), its exit to {@code onExit}, and then the claim, which the driver waits for and acts on
     * at once. Returns the secret's file. Fails, changing nothing the session sees, when it exited meanwhile.
     */
    Path take(URI link, String secret, SessionSpec spec, DriverLog sessionLog, IntConsumer onExit) throws IOException {
        Path secretFile = LocalSecretFile.write(workDir, secret);
        synchronized (this) {
            if (exited || taken) {
                throw new IOException("the pooled driver (pid " + process.pid() + ") is gone or taken");
            }
            taken = true;
            exitTo = onExit;
        }
        try {
            Files.deleteIfExists(workDir.resolve(MARKER));
            Path temp = Files.createTempFile(workDir, CLAIM, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, Json.write(new PoolClaim(link.toString(), secretFile.toString(), spec)));
            try {
                Files.move(temp, workDir.resolve(CLAIM), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, workDir.resolve(CLAIM));
            }
        } catch (IOException | RuntimeException e) {
            // Not claimed, but no longer the pool's: it ends, and the session (which starts cold) never hears of it.
            synchronized (this) {
                exitTo = code -> { };
            }
            new Thread(this::stop, "pooled-driver-stop").start();
            throw e;
        }
        log.handOver(sessionLog);
        return secretFile;
    }

    /** Ends it (the gateway stops, or the pool shrinks); returns once it is gone. */
    void stop() {
        process.stop(0);
    }
}
