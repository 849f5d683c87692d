package dev.sparkgate.driver.interpreter;

import dev.sparkgate.protocol.StatementEvent.ErrorInfo;

import java.util.Map;

/** What a cell came to: a value (a MIME bundle, possibly empty) or an error worth showing the user. */
public sealed interface ExecutionResult {

    record Value(Map<String, Object> data) implements ExecutionResult {
    }

    record Failure(ErrorInfo error) implements ExecutionResult {
    }

    static ExecutionResult value(Map<String, Object> data) {
        return new Value(data);
    }

    static ExecutionResult failure(ErrorInfo error) {
        return new Failure(error);
    }
}
