package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/** What a session's driver tells the gateway. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DriverMessage.Ready.class, name = "ready"),
        @JsonSubTypes.Type(value = DriverMessage.StartFailed.class, name = "start_failed"),
        @JsonSubTypes.Type(value = DriverMessage.Event.class, name = "event"),
        @JsonSubTypes.Type(value = DriverMessage.Completions.class, name = "completions"),
        @JsonSubTypes.Type(value = DriverMessage.Completeness.class, name = "completeness"),
        @JsonSubTypes.Type(value = DriverMessage.Inspection.class, name = "inspection"),
})
public sealed interface DriverMessage {

    /** Spark is up and statements may run. */
    record Ready(DriverInfo info) implements DriverMessage {
    }

    /** The driver could not start its session; {@code message} says why and what to change. */
    record StartFailed(String message) implements DriverMessage {
    }

    /** One event of a statement. */
    record Event(StatementEvent event) implements DriverMessage {
    }

    /** The answer to one of the gateway's questions (complete, check_complete, inspect), matched by its id. */
    sealed interface Answer extends DriverMessage {
        int requestId();
    }

    /**
     * Completion candidates; they replace the text between {@code cursorStart} and {@code cursorEnd}.
     */
    record Completions(int requestId, List<String> candidates, int cursorStart, int cursorEnd) implements Answer {
    }

    /** Jupyter's is_complete answer: {@code complete}, {@code incomplete}, {@code invalid} or {@code unknown}. */
    record Completeness(int requestId, String status, String indent) implements Answer {
    }

    /** What the interpreter knows of the name at the cursor, as plain text; {@code found} false when nothing. */
    record Inspection(int requestId, boolean found, String text) implements Answer {
    }
}
