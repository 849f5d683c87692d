package dev.sparkgate.driver.interpreter;

import dev.sparkgate.protocol.InterpreterAnswer.Completeness;
import dev.sparkgate.protocol.InterpreterAnswer.Completions;
import dev.sparkgate.protocol.InterpreterAnswer.Inspection;

/**
 * One language of a session. The driver runs one statement at a time per session, so {@link #execute} is never
 * called concurrently; {@link #interrupt()}, {@link #complete}, {@link #checkComplete} and {@link #inspect} may be
 * called from other threads while a statement runs.
 */
public interface Interpreter extends AutoCloseable {

    /**
     * Runs one cell. Text written to {@code System.out}/{@code System.err} (or {@link StatementContext#out()})
     * while it runs is the statement's output; rich output goes through {@link StatementContext#display}.
     * The returned value is the cell's result; an exception thrown here is a failure of the interpreter itself.
     */
    ExecutionResult execute(String code, StatementContext context) throws Exception;

    /** Completion candidates at {@code cursor} (an offset into {@code code}). */
    Completions complete(String code, int cursor);

    /** Whether {@code code} is a whole cell, as Jupyter's is_complete asks. */
    default Completeness checkComplete(String code) {
        return Completeness.UNKNOWN;
    }

    /**
     * Documentation of the name at {@code cursor} (an offset into {@code code}) as plain text, as Jupyter's inspect
     * asks; {@code detailLevel} 1 adds source where there is any. Nothing found when the language offers none.
     */
    default Inspection inspect(String code, int cursor, int detailLevel) {
        return Inspection.NOTHING;
    }

    /**
     * Stops the running {@link #execute} as soon as the language allows: it should then return (or throw) promptly.
     * The statement's Spark jobs are cancelled by the caller.
     */
    void interrupt();

    @Override
    void close();
}
