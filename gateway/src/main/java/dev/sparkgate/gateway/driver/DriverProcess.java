package dev.sparkgate.gateway.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * A running driver JVM: started with its environment, its output kept in the session's {@link DriverLog}, its exit
 * reported once. Stopping it takes its children (a Python REPL, say) with it.
 */
public final class DriverProcess {

    private final Process process;

    private DriverProcess(Process process) {
        this.process = process;
    }

    public static DriverProcess start(List<String> command, Map<String, String> environment, Path workDir,
                                      DriverLog log, IntConsumer onExit) throws IOException {
        Files.createDirectories(workDir);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        pump(process.getInputStream(), log, "driver-stdout-" + process.pid());
        pump(process.getErrorStream(), log, "driver-stderr-" + process.pid());
        process.onExit().thenAccept(p -> onExit.accept(p.exitValue()));
        return new DriverProcess(process);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for a voluntary exit, then terminates, then kills; returns once the process and its children are gone. */
    public void stop(long graceMillis) {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static void pump(InputStream stream, DriverLog log, String name) {
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    log.append(line);
                }
            } catch (IOException ignored) {
                // the process is gone; its exit is reported by onExit
            }
        }, name);
        pump.setDaemon(true);
        pump.start();
    }
}
