package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.StatementEvent;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The Sparkgate session behind a {@link Kernel}, as the kernel needs it. The gateway implements it in process over
 * its own session; the ZeroMQ kernel over the gateway's REST API and session stream. Failures are
 * {@link KernelUnavailableException}s whose message the notebook user reads.
 */
public interface KernelSession {

    /**
     * Completes when the session can run statements: at once when it can, later while it starts, and exceptionally
     * with a {@link KernelUnavailableException} when it cannot (gateway unreachable, token refused, session ended).
     * Asked again after a failure, it tries again.
     */
    CompletableFuture<Void> ready();

    /**
     * Runs {@code code} and returns its statement id. Every event of that statement, and only those, reaches
     * {@code events} in order, ending with its {@code finished} event, even when the session goes away meanwhile.
     */
    int submit(String code, Consumer<StatementEvent> events);

    /**
     * Where a person's browser finds the session's Spark UI (the gateway's {@code /sessions/{id}/ui/}), for the
     * progress bar's link; empty when this side cannot say (the session not created yet, or no address the
     * notebook's browser can use).
     */
    default java.util.Optional<String> sparkUiUrl() {
        return java.util.Optional.empty();
    }

    /** Cancels the statement: its Spark jobs and its interpreter. */
    void cancel(int statementId);

    /**
     * The session's interpreter's answer to {@code question} (completion, completeness, inspection), whose cursors
     * are UTF-16 offsets into its code.
     */
    <A extends InterpreterAnswer> A ask(InterpreterQuestion<A> question);

    /** One line on what the kernel runs on, for the banner: the session, its Spark, its master. */
    String describe();
}
