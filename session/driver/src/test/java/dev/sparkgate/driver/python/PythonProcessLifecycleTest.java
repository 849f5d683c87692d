package dev.sparkgate.driver.python;

import dev.sparkgate.driver.interpreter.ExecutionResult;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sparkgate.driver.python.TestPython.errorOf;
import static dev.sparkgate.driver.python.TestPython.textOf;
import static org.assertj.core.api.Assertions.assertThat;

/** What happens to a session's Python when it dies, will not stop, or the session ends. Never a hang. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PythonProcessLifecycleTest {

    private PythonInterpreter python;

    @BeforeEach
    void startPython() {
        TestPython.systemPythonOrSkip();
        python = PythonInterpreter.start(TestPython.plainPythonSession(), null,
                PythonInterpreter.Options.defaults().withInterruptGrace(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stopPython() {
        if (python != null) {
            python.close();
        }
    }

    @Test
    @DisplayName("a Python that dies fails its statement with the exit code; the next statement gets a fresh Python and is told so")
    void deathEndsTheStatementAndTheNextOneRestarts() {
        // given a session with a name defined
        python.execute("defined_before = 1", new RecordingContext());

        // when a cell ends the Python process abruptly
        ExecutionResult death = python.execute("import os, sys\nprint('last words', file=sys.stderr)\nos._exit(3)",
                new RecordingContext());

        // then the statement fails, saying the process exited with code 3 and what happens next
        ErrorInfo error = errorOf(death);
        assertThat(error.ename()).isEqualTo("PythonExited");
        assertThat(error.evalue()).contains("exited with code 3", "next statement starts a fresh Python");

        // when the next statement runs
        RecordingContext next = new RecordingContext();
        ExecutionResult afterwards = python.execute("'alive'", next);

        // then it runs in a fresh Python, says so, and the old names are gone
        assertThat(textOf(afterwards)).isEqualTo("'alive'");
        assertThat(next.stderr()).contains("Python restarted", "exited with code 3", "everything defined before is gone");
        assertThat(errorOf(python.execute("defined_before", new RecordingContext())).ename()).isEqualTo("NameError");
    }

    @Test
    @DisplayName("a Python killed by a signal is reported as such")
    void killedBySignal() {
        ErrorInfo error = errorOf(python.execute("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
                new RecordingContext()));

        assertThat(error.evalue()).contains("killed by signal 9");
    }

    @Test
    @DisplayName("a cell that swallows the interrupt is stopped after the grace period, and the session goes on")
    void cellIgnoringTheInterruptIsStopped() throws Exception {
        // given a cell that catches every KeyboardInterrupt
        String stubborn = """
                import time
                while True:
                    try:
                        time.sleep(0.1)
                    except KeyboardInterrupt:
                        pass
                """;
        CompletableFuture<ExecutionResult> running = CompletableFuture.supplyAsync(
                () -> python.execute(stubborn, new RecordingContext()));
        Thread.sleep(500);

        // when it is interrupted
        python.interrupt();
        ExecutionResult result = running.get(10, TimeUnit.SECONDS);

        // then after the grace period (1 s here) its Python is stopped and the statement says why
        ErrorInfo error = errorOf(result);
        assertThat(error.ename()).isEqualTo("PythonExited");
        assertThat(error.evalue()).contains("did not stop within 1.0 s of the interrupt");
        // and the next statement runs in a fresh Python
        assertThat(textOf(python.execute("2 * 21", new RecordingContext()))).isEqualTo("42");
    }

    @Test
    @DisplayName("close() stops the Python process and the programs it started")
    void closeStopsTheProcessTree() throws Exception {
        // given a cell that started a long-running child program
        ExecutionResult started = python.execute(
                "import subprocess\nchild = subprocess.Popen(['sleep', '300'])\nchild.pid", new RecordingContext());
        long childPid = Long.parseLong(textOf(started).toString());
        ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();

        // when the interpreter closes
        python.close();

        // then the child is gone too
        child.onExit().get(10, TimeUnit.SECONDS);
        assertThat(child.isAlive()).isFalse();
        // and statements after close fail clearly instead of hanging
        assertThat(errorOf(python.execute("1", new RecordingContext())).evalue()).contains("closed");
    }
}
