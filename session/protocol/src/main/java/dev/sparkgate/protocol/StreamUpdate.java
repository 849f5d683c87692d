package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * What the gateway sends on a session's stream. On connect a client gets the session, then every event
 * after the {@code since} sequence number it asked for (all of them by default), then live updates.
 */
// visible: an Answer reads its answer's type from the same "type" that chose it
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", visible = true)
@JsonSubTypes({
        @JsonSubTypes.Type(value = StreamUpdate.Session.class, name = "session"),
        @JsonSubTypes.Type(value = StreamUpdate.Event.class, name = "event"),
        @JsonSubTypes.Type(value = StreamUpdate.Ended.class, name = "ended"),
        @JsonSubTypes.Type(value = StreamUpdate.Submitted.class, name = "submitted"),
        @JsonSubTypes.Type(value = StreamUpdate.Answer.class, names = {"completions", "completeness", "inspection"}),
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

    /** The answer to an execute request: the statement's id. Its events follow. */
    record Submitted(int requestId, int statementId) implements Reply {
    }

    /**
     * The interpreter's answer to the client's {@link StreamRequest.Ask} {@code requestId}. On the wire it is the
     * answer's own JSON with {@code requestId} beside its fields (see {@link FlatEnvelope}).
     */
    @JsonSerialize(using = Answer.Writer.class)
    @JsonDeserialize(using = Answer.Reader.class)
    record Answer(int requestId, InterpreterAnswer answer) implements Reply {

        static final class Writer extends FlatEnvelope.Writer<Answer> {
            Writer() {
                super(Answer.class, answer -> new FlatEnvelope(answer.requestId(), answer.answer(), null));
            }
        }

        static final class Reader extends FlatEnvelope.Reader<Answer> {
            Reader() {
                super(Answer.class, InterpreterAnswer.class, flat -> new Answer(flat.requestId(),
                        (InterpreterAnswer) flat.payload()));
            }
        }
    }

    /** A request was refused; {@code message} says what was wrong and what to do. */
    record Refused(int requestId, int status, String message) implements Reply {
    }
}
