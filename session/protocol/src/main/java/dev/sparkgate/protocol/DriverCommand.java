package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What the gateway asks of a session's driver, over the link the driver dialled. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DriverCommand.Execute.class, name = "execute"),
        @JsonSubTypes.Type(value = DriverCommand.Cancel.class, name = "cancel"),
        @JsonSubTypes.Type(value = DriverCommand.Complete.class, name = "complete"),
        @JsonSubTypes.Type(value = DriverCommand.CheckComplete.class, name = "check_complete"),
        @JsonSubTypes.Type(value = DriverCommand.Inspect.class, name = "inspect"),
        @JsonSubTypes.Type(value = DriverCommand.Shutdown.class, name = "shutdown"),
})
public sealed interface DriverCommand {

    /** Run a statement after the ones already queued. */
    record Execute(int statementId, Kind kind, String code) implements DriverCommand {
    }

    /** Cancel a queued or running statement: its Spark jobs and its interpreter. */
    record Cancel(int statementId) implements DriverCommand {
    }

    /** Completion candidates at {@code cursor}; answered by {@link DriverMessage.Completions}. */
    record Complete(int requestId, Kind kind, String code, int cursor) implements DriverCommand {
    }

    /** Whether {@code code} is a complete cell; answered by {@link DriverMessage.Completeness}. */
    record CheckComplete(int requestId, Kind kind, String code) implements DriverCommand {
    }

    /**
     * Documentation of the name at {@code cursor}, as Jupyter's inspect asks ({@code detailLevel} 0 or 1, 1 adding
     * source where there is any); answered by {@link DriverMessage.Inspection}.
     */
    record Inspect(int requestId, Kind kind, String code, int cursor, int detailLevel) implements DriverCommand {
    }

    /** Stop Spark and exit. */
    record Shutdown() implements DriverCommand {
    }
}
