package dev.sparkgate.driver.python;

import dev.sparkgate.driver.interpreter.ExecutionResult;
import dev.sparkgate.driver.interpreter.StatementContext;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The statement the REPL is running: where its output goes, and how it ended. It ends with the REPL's
 * result, or with the death of the process that ran it, whichever comes first.
 */
final class RunningCell {

    private static final Duration FENCE_WAIT = Duration.ofSeconds(1);

    final long id;
    final StatementContext context;
    final PythonProcess process;
    private final CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
    /** One per real stream: counted down when the reader passes the fence the REPL wrote after this cell. */
    private final CountDownLatch fences = new CountDownLatch(2);
    /** Why the driver ended the process under this cell, when it did; the failure reports it. */
    private volatile String stopReason;

    RunningCell(long id, StatementContext context, PythonProcess process) {
        this.id = id;
        this.context = context;
        this.process = process;
    }

    boolean isDone() {
        return result.isDone();
    }

    void finish(ExecutionResult outcome) {
        result.complete(outcome);
    }

    void fenceReached() {
        fences.countDown();
    }

    void stoppedBecause(String reason) {
        stopReason = reason;
    }

    String stopReason() {
        return stopReason;
    }

    /**
     * Waits for the outcome. A Java interrupt of the waiting thread is passed on to {@code onInterrupt}
     * (which stops the Python code) and the wait goes on, so the REPL is never left running a cell nobody
     * waits for; the thread's interrupt flag is restored on return.
     *
     * @return the result, or null when the process ended first
     */
    ExecutionResult await(Runnable onInterrupt) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    CompletableFuture.anyOf(result, process.exited()).get();
                    if (!result.isDone()) {
                        return null;
                    }
                    // The fences were written before the result was sent, so they are at most moments away;
                    // a cell that redirected its process's real streams never delivers them: do not wait long.
                    fences.await(FENCE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    return result.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    onInterrupt.run();
                } catch (ExecutionException e) {
                    return result.isDone() ? result.join() : null;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
