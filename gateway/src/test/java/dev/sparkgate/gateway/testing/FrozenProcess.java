package dev.sparkgate.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process frozen with SIGSTOP, as a hung driver is: it runs nothing until it is thawed.
 *
 * <p>{@code kill -STOP} returns before the process has stopped. The kernel stops a process's threads only once one of
 * them is scheduled to take the signal, and on a loaded machine the others go on running meanwhile: a driver "frozen"
 * that way still answered a statement sent 1 ms after the kill returned. So {@link #freeze} returns only when every
 * thread of the process is seen stopped.
 */
public final class FrozenProcess {

    private static final Duration STOPPING = Duration.ofSeconds(30);

    private final long pid;

    private FrozenProcess(long pid) {
        this.pid = pid;
    }

    /** Sends SIGSTOP and waits until every thread of {@code pid} is stopped; fails naming the threads still running. */
    public static FrozenProcess freeze(long pid) {
        signal("STOP", pid);
        Await.value("every thread of process " + pid + " stopped (state T)", STOPPING, Duration.ofMillis(10),
                () -> threadsNotStopped(pid), Map::isEmpty);
        return new FrozenProcess(pid);
    }

    public long pid() {
        return pid;
    }

    /** Sends SIGCONT. */
    public void thaw() {
        signal("CONT", pid);
    }

    /** Sends SIGCONT if the process is still there; for a test's cleanup, where it may have gone. */
    public void thawIfAlive() {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                thaw();
            } catch (AssertionError | UncheckedIOException e) {
                // it went meanwhile
            }
        }
    }

    /** Each thread of the process that is not stopped, with its state (/proc's one-letter code). */
    private static Map<String, String> threadsNotStopped(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            Map<String, String> states = tasks.collect(Collectors.toMap(task -> task.getFileName().toString(),
                    FrozenProcess::state));
            states.values().removeIf(state -> state.equals("T") || state.isEmpty());
            return states;
        } catch (NoSuchFileException e) {
            throw new AssertionError("process " + pid + " is gone; it cannot be frozen", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A thread's state from its stat line, "tid (comm) S ...": the letter after the last ')', as comm may hold one. */
    private static String state(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (NoSuchFileException e) {
            return ""; // the thread ended while we looked
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder(List.of("kill", "-" + signal, String.valueOf(pid))).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                    .as("kill -%s %d", signal, pid).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
