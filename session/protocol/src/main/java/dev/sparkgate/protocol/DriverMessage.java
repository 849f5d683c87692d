package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What a session's driver tells the gateway. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DriverMessage.Ready.class, name = "ready"),
        @JsonSubTypes.Type(value = DriverMessage.StartFailed.class, name = "start_failed"),
        @JsonSubTypes.Type(value = DriverMessage.Event.class, name = "event"),
        @JsonSubTypes.Type(value = DriverMessage.Answer.class, name = "answer"),
})
public sealed interface DriverMessage {

    /** Spark is up and statements may run. */
    record Ready(DriverInfo info) implements DriverMessage {
    }

    /** The driver could not start its session; {@code message} says why and what to change. */
    record StartFailed(String message) implements DriverMessage {
    }

    /**
     * One event of a statement, numbered by the driver: {@code seq} orders every event of the session from 1, and is
     * the {@code seq} clients see on the stream. The driver keeps its events (see {@link DriverCommand.Resume}), so a
     * gateway that lost them (a restart) takes them back with the same numbers and its stream continues exactly.
     */
    record Event(long seq, StatementEvent event) implements DriverMessage {
    }

    /** The interpreter's answer to the gateway's {@link DriverCommand.Ask} {@code requestId}. */
    record Answer(int requestId, InterpreterAnswer answer) implements DriverMessage {
    }
}
