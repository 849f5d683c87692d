package dev.sparkgate.gateway.driver;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * A running driver JVM, detached from the gateway: in a session and process group of its own ({@link SetsidCommand}),
 * with exactly the environment it is given, writing its stdout and stderr to its own log file, which the gateway
 * follows into the session's {@link DriverLog}. Its exit is reported once, after the log has its last lines. Stopping
 * it takes its children (a Python REPL, say) with it.
 */
public final class DriverProcess {

    /** The file in the driver's working directory that its stdout and stderr go to. */
    public static final String LOG_FILE = "driver.log";

    /** One thread follows every driver's log file. */
    private static final DriverLogTailer LOGS = new DriverLogTailer();

    /** How long {@link #stop} waits for the exit to be reported (the log's last lines, the caller's cleanup). */
    private static final long EXIT_REPORT_SECONDS = 10;

    /**
     * The exit code of a driver this gateway did not start (an earlier gateway did): only a process's parent learns its
     * exit code.
     */
    public static final int EXIT_UNKNOWN = -2;

    private final ProcessHandle process;
    private final CompletableFuture<Void> exitReported;

    private DriverProcess(ProcessHandle process, CompletableFuture<Void> exitReported) {
        this.process = process;
        this.exitReported = exitReported;
    }

    /**
     * Starts {@code command} in {@code workDir} with {@code environment} as its whole environment (nothing of the
     * gateway's is inherited that is not in it).
     */
    public static DriverProcess start(List<String> command, Map<String, String> environment, Path workDir,
                                      DriverLog log, IntConsumer onExit) throws IOException {
        Files.createDirectories(workDir);
        File logFile = workDir.resolve(LOG_FILE).toFile();
        ProcessBuilder builder = new ProcessBuilder(SetsidCommand.wrap(command, System.getenv()))
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(logFile);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        DriverLogTailer.Tail tail = LOGS.follow(logFile.toPath(), log);
        CompletableFuture<Void> exitReported = process.onExit().thenAccept(p -> {
            tail.finish();
            onExit.accept(p.exitValue());
        });
        return new DriverProcess(process.toHandle(), exitReported);
    }

    /**
     * Follows a driver an earlier gateway started, still running as {@code process} in {@code workDir}: its log file
     * from the start into {@code log}, and its exit (as {@link #EXIT_UNKNOWN}) to {@code onExit}, at once if it is gone.
     */
    public static DriverProcess attach(ProcessHandle process, Path workDir, DriverLog log, IntConsumer onExit)
            throws IOException {
        DriverLogTailer.Tail tail = LOGS.follow(workDir.resolve(LOG_FILE), log);
        CompletableFuture<Void> exitReported = process.onExit().thenAccept(p -> {
            tail.finish();
            onExit.accept(EXIT_UNKNOWN);
        });
        return new DriverProcess(process, exitReported);
    }

    /** When the process started, as the OS tells it: with its pid, what tells it from a later process with that pid. */
    public static java.util.Optional<java.time.Instant> startOf(ProcessHandle process) {
        return process.info().startInstant();
    }

    public ProcessHandle handle() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for a voluntary exit, then terminates, then kills; returns once the process and its children are gone and
     * its exit was reported (so a gateway that stops leaves no working directory, and no secret file, behind).
     */
    public void stop(long graceMillis) {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            if (!exited(graceMillis)) {
                process.destroy();
                if (!exited(5_000)) {
                    process.destroyForcibly();
                    exited(5_000);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            exitReported.get(EXIT_REPORT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the process is gone; whoever was told of its exit failed or is slow, and says so in its own log
        }
    }

    private boolean exited(long millis) throws InterruptedException {
        try {
            process.onExit().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }
}
