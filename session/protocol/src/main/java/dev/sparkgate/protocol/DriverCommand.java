package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What the gateway asks of a session's driver, over the link the driver dialled. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DriverCommand.Execute.class, name = "execute"),
        @JsonSubTypes.Type(value = DriverCommand.Cancel.class, name = "cancel"),
        @JsonSubTypes.Type(value = DriverCommand.Ask.class, name = "ask"),
        @JsonSubTypes.Type(value = DriverCommand.Shutdown.class, name = "shutdown"),
        @JsonSubTypes.Type(value = DriverCommand.Resume.class, name = "resume"),
})
public sealed interface DriverCommand {

    /**
     * Run a statement after the ones already queued. The driver answers with the statement's {@code accepted} event,
     * numbered in its order of events, then the rest.
     */
    record Execute(int statementId, Kind kind, String code) implements DriverCommand {
    }

    /** Cancel a queued or running statement: its Spark jobs and its interpreter. */
    record Cancel(int statementId) implements DriverCommand {
    }

    /**
     * A question to the interpreter of {@code kind}, answered by a {@link DriverMessage.Answer} with the same
     * {@code requestId}, even while a statement runs.
     */
    record Ask(int requestId, Kind kind, InterpreterQuestion<?> question) implements DriverCommand {
    }

    /**
     * The first thing the gateway says on every link: send every event numbered after {@code since} (0 after a gateway
     * restart: all the driver kept), then each new one as it happens; and, when Spark is up, {@link DriverMessage.Ready}
     * again. Until it comes, the driver keeps its events to itself.
     */
    record Resume(long since) implements DriverCommand {
    }

    /** Stop Spark and exit. */
    record Shutdown() implements DriverCommand {
    }
}
