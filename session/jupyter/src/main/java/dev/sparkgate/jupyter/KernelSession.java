package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;

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

    /** Cancels the statement: its Spark jobs and its interpreter. */
    void cancel(int statementId);

    /** Completion candidates at {@code cursor}, a UTF-16 offset into {@code code}. */
    StreamUpdate.Completions complete(String code, int cursor);

    /** Whether {@code code} is a whole cell, as the session's interpreter judges it. */
    StreamUpdate.Completeness checkComplete(String code);

    /**
     * What the session's interpreter knows of the name at {@code cursor}, a UTF-16 offset into {@code code}, as plain
     * text; {@code detailLevel} 1 adds source where there is any.
     */
    StreamUpdate.Inspection inspect(String code, int cursor, int detailLevel);

    /** One line on what the kernel runs on, for the banner: the session, its Spark, its master. */
    String describe();
}
