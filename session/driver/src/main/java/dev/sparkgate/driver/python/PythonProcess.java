package dev.sparkgate.driver.python;

import dev.sparkgate.versions.DriverPython;
import dev.sparkgate.versions.PythonUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.StatementEvent.StreamName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One running Python REPL: the process, its channel, and the threads that read from it.
 *
 * <p>Three things come out of the process, each read by its own thread and handed to the {@link Listener}:
 * channel messages (the REPL's answers and the cells' output), and whatever reaches the real stdout and
 * stderr (programs the user's code starts, C libraries, Python's own fatal errors). When the process ends,
 * {@link #exited()} completes only after those readers have drained, so a dying process's last words reach
 * the statement before the news of its death.
 */
final class PythonProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PythonProcess.class);
    private static final int STDERR_TAIL_CHARS = 4096;

    interface Listener {
        /** A channel message from the REPL (stream, display, result, or an answer to a query). */
        void onMessage(PythonProcess process, JsonNode message);

        /** Text written to the process's real stdout or stderr. */
        void onOutput(PythonProcess process, StreamName name, String text);

        /** All that the process's programs wrote to {@code name} before cell {@code cellId} ended has been passed on. */
        void onFence(PythonProcess process, StreamName name, long cellId);
    }

    private final Process process;
    private final ReplChannel channel;
    private final Listener listener;
    private final StringBuilder stderrTail = new StringBuilder();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private final List<Thread> readers = new ArrayList<>();
    private volatile boolean stopping;

    private PythonProcess(Process process, ReplChannel channel, Listener listener) {
        this.process = process;
        this.channel = channel;
        this.listener = listener;
    }

    /**
     * Starts the REPL and waits until it is ready (with Spark bound, when asked).
     *
     * @throws PythonUnavailableException when it exits, fails or stays silent during start-up
     */
    static PythonProcess start(DriverPython python, ReplProgram program, Map<String, String> environment,
                               Duration startupTimeout, Listener listener) {
        ReplChannel channel;
        Process process;
        try {
            channel = ReplChannel.listen();
            ProcessBuilder builder = new ProcessBuilder(python.executable(), "-u", "-B", program.entryScript().toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            builder.environment().put("SPARKGATE_REPL_PORT", Integer.toString(channel.port()));
            builder.environment().put("SPARKGATE_REPL_SECRET", channel.secret());
            process = builder.start();
        } catch (IOException e) {
            throw new PythonUnavailableException("Cannot start the session's Python " + python.executable() + ": "
                    + e.getMessage(), e);
        }
        PythonProcess repl = new PythonProcess(process, channel, listener);
        repl.startOutputReaders();
        try {
            repl.awaitReady(startupTimeout);
        } catch (RuntimeException e) {
            repl.kill();
            channel.close();
            throw e;
        }
        repl.startMessageReader();
        repl.startExitWatcher();
        return repl;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!channel.accept(timeout, process::isAlive)) {
                throw startupFailure(process.isAlive()
                        ? "did not connect back within " + timeout.toSeconds() + " s"
                        : "exited during start-up with code " + waitForExitCode());
            }
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw startupFailure("was not ready within " + timeout.toSeconds() + " s");
                }
                channel.receiveTimeout(Duration.ofNanos(left).plusMillis(1));
                JsonNode message = channel.receive();
                if (message == null) {
                    throw startupFailure("exited during start-up with code " + waitForExitCode());
                }
                switch (message.path("type").asText()) {
                    case "ready" -> {
                        channel.receiveTimeout(Duration.ZERO);
                        return;
                    }
                    case "failed" -> throw new PythonUnavailableException("The session's Python could not bind Spark: "
                            + message.path("ename").asText() + ": " + message.path("evalue").asText() + "\n"
                            + String.join("", ReplMessages.strings(message.path("traceback"))));
                    default -> listener.onMessage(this, message);
                }
            }
        } catch (SocketTimeoutException e) {
            throw startupFailure("was not ready within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw startupFailure("lost its connection during start-up (" + e.getMessage() + ")");
        }
    }

    private PythonUnavailableException startupFailure(String what) {
        String tail = stderrTail();
        return new PythonUnavailableException("The session's Python REPL " + what
                + (tail.isBlank() ? "." : ". Its stderr ends with:\n" + tail));
    }

    private int waitForExitCode() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            // Give the stderr reader a moment to catch the last lines Python wrote before dying.
            for (Thread reader : readers) {
                reader.join(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    private void startOutputReaders() {
        readers.add(daemon("python-stdout-" + process.pid(), () -> pump(process.getInputStream(), StreamName.stdout)));
        readers.add(daemon("python-stderr-" + process.pid(), () -> pump(process.getErrorStream(), StreamName.stderr)));
    }

    private void pump(InputStream stream, StreamName name) {
        char[] buffer = new char[8192];
        FencedOutput output = new FencedOutput(text -> {
            if (name == StreamName.stderr) {
                rememberStderr(text);
            }
            listener.onOutput(this, name, text);
        }, cellId -> listener.onFence(this, name, cellId));
        try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buffer)) > 0) {
                output.accept(new String(buffer, 0, n));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Reading the Python {} ended: {}", name, e.toString());
        }
    }

    private void startMessageReader() {
        readers.add(daemon("python-channel-" + process.pid(), () -> {
            try {
                JsonNode message;
                while ((message = channel.receive()) != null) {
                    listener.onMessage(this, message);
                }
            } catch (IOException | RuntimeException e) {
                log.debug("Reading the Python REPL's channel ended: {}", e.toString());
            }
            // Usually the process is exiting. If it lingers without its channel it can neither be driven nor
            // report: end it.
            if (!stopping && !exitsWithin(Duration.ofSeconds(1))) {
                log.warn("The Python REPL (pid {}) closed its channel but kept running; stopping it", process.pid());
                kill();
            }
        }));
    }

    private void startExitWatcher() {
        daemon("python-exit-" + process.pid(), () -> {
            int code = waitForExit();
            for (Thread reader : readers) {
                try {
                    // Children that inherited stdout may keep it open: do not wait for them forever.
                    reader.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            channel.close();
            exited.complete(code);
        });
    }

    private boolean exitsWithin(Duration time) {
        try {
            return process.waitFor(time.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int waitForExit() {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                // This watcher's whole job is to wait; keep waiting.
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void rememberStderr(String text) {
        synchronized (stderrTail) {
            stderrTail.append(text);
            if (stderrTail.length() > STDERR_TAIL_CHARS) {
                stderrTail.delete(0, stderrTail.length() - STDERR_TAIL_CHARS);
            }
        }
    }

    /** The last few KB the process wrote to its real stderr. */
    String stderrTail() {
        synchronized (stderrTail) {
            return stderrTail.toString();
        }
    }

    long pid() {
        return process.pid();
    }

    /** Completes with the exit code once the process has ended and everything it wrote has been read. */
    CompletableFuture<Integer> exited() {
        return exited;
    }

    boolean hasExited() {
        return exited.isDone() || !process.isAlive();
    }

    void send(Map<String, ?> request) throws IOException {
        channel.send(request);
    }

    /** Ends the process and everything it started, now. */
    void kill() {
        kill(process.descendants().toList());
    }

    private void kill(List<ProcessHandle> children) {
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Asks the REPL to shut down, waits up to {@code grace}, then kills what is left. */
    void stop(Duration grace) {
        // Taken first: once the REPL has exited, what it started is no longer found among its descendants.
        List<ProcessHandle> children = process.descendants().toList();
        stopping = true;
        if (process.isAlive()) {
            try {
                send(Map.of("op", "shutdown"));
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                // Already unreachable: killing it is all that is left.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kill(children);
        channel.close();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(2));
    }
}
