package dev.sparkgate.versions;

/**
 * The session's Python cannot run what was asked of it: the executable is missing or too old, it has no
 * PySpark for a {@code pyspark} session, or the REPL did not start. The message says what to set.
 */
public final class PythonUnavailableException extends RuntimeException {

    public PythonUnavailableException(String message) {
        super(message);
    }

    public PythonUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
