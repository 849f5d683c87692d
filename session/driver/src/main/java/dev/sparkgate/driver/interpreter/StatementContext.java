package dev.sparkgate.driver.interpreter;

import java.io.PrintStream;
import java.util.Map;

/** The running statement, as an interpreter sees it. */
public interface StatementContext {

    int statementId();

    /** The Spark job group of this statement: jobs started in it are cancelled with it. */
    String jobGroup();

    /** The statement's stdout: chunks are sent to clients as they are written. */
    PrintStream out();

    /** The statement's stderr. */
    PrintStream err();

    /** Sends rich output (a MIME bundle) now; a later display with the same {@code displayId} replaces it. */
    void display(Map<String, Object> data, String displayId);

    /** Whether the statement has been asked to stop. */
    boolean cancelled();
}
