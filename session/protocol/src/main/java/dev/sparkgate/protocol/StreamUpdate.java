package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * What the gateway sends on a session's stream. On connect a client gets the session, then every event
 * after the {@code since} sequence number it asked for (all of them by default), then live updates.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StreamUpdate.Session.class, name = "session"),
        @JsonSubTypes.Type(value = StreamUpdate.Event.class, name = "event"),
        @JsonSubTypes.Type(value = StreamUpdate.Ended.class, name = "ended"),
        @JsonSubTypes.Type(value = StreamUpdate.Submitted.class, name = "submitted"),
        @JsonSubTypes.Type(value = StreamUpdate.Completions.class, name = "completions"),
        @JsonSubTypes.Type(value = StreamUpdate.Completeness.class, name = "completeness"),
        @JsonSubTypes.Type(value = StreamUpdate.Inspection.class, name = "inspection"),
        @JsonSubTypes.Type(value = StreamUpdate.Refused.class, name = "refused"),
})
public sealed interface StreamUpdate {

    /** The session as it is now: sent on connect and on every change of state. */
    record Session(SessionView session) implements StreamUpdate {
    }

    /**
     * The session has ended for good ({@code state} is one of {@link SessionState#ended()}), and {@code cause} says
     * why in the gateway's words (its last log line), or is empty. Sent once per stream, on connect to an ended
     * session or when it ends; nothing more will run in it, so a client stops resuming and tells its user.
     */
    record Ended(SessionState state, String cause) implements StreamUpdate {
    }

    /** One statement event; {@code seq} orders all events of the session and lets a client resume after a drop. */
    record Event(long seq, StatementEvent event) implements StreamUpdate {
    }

    /** The answer to one of the client's requests, carrying that request's id. */
    sealed interface Reply extends StreamUpdate {
        int requestId();
    }

    /** The driver's answer to a question, as the reply to the client's request {@code requestId}. */
    static Reply answer(int requestId, DriverMessage.Answer answer) {
        if (answer instanceof DriverMessage.Completions c) {
            return new Completions(requestId, c.candidates(), c.cursorStart(), c.cursorEnd());
        } else if (answer instanceof DriverMessage.Completeness c) {
            return new Completeness(requestId, c.status(), c.indent());
        }
        DriverMessage.Inspection i = (DriverMessage.Inspection) answer;
        return new Inspection(requestId, i.found(), i.text());
    }

    /** The answer to an execute request: the statement's id. Its events follow. */
    record Submitted(int requestId, int statementId) implements Reply {
    }

    record Completions(int requestId, List<String> candidates, int cursorStart, int cursorEnd) implements Reply {
    }

    record Completeness(int requestId, String status, String indent) implements Reply {
    }

    record Inspection(int requestId, boolean found, String text) implements Reply {
    }

    /** A request was refused; {@code message} says what was wrong and what to do. */
    record Refused(int requestId, int status, String message) implements Reply {
    }
}
