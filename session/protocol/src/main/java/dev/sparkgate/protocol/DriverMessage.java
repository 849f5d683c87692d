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

    /**
     * Completion candidates; they replace the text between {@code cursorStart} and {@code cursorEnd}.
     */
    record Completions(int requestId, List<String> candidates, int cursorStart, int cursorEnd)
            implements DriverMessage {
    }

    /** Jupyter's is_complete answer: {@code complete}, {@code incomplete}, {@code invalid} or {@code unknown}. */
    record Completeness(int requestId, String status, String indent) implements DriverMessage {
    }
}
