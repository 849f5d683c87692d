package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * What a client sends on a session's stream ({@code /sessions/{id}/stream}). {@code requestId} is the client's
 * own number, echoed in the reply so it can match answers to questions. {@code kind} may be omitted where the
 * session's kind decides.
 */
// visible: an Ask reads its question's type from the same "type" that chose it
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", visible = true)
@JsonSubTypes({
        @JsonSubTypes.Type(value = StreamRequest.Execute.class, name = "execute"),
        @JsonSubTypes.Type(value = StreamRequest.Cancel.class, name = "cancel"),
        @JsonSubTypes.Type(value = StreamRequest.Ask.class, names = {"complete", "check_complete", "inspect"}),
})
public sealed interface StreamRequest {

    int requestId();

    record Execute(int requestId, String code, String kind) implements StreamRequest {
    }

    record Cancel(int requestId, int statementId) implements StreamRequest {
    }

    /**
     * A question to the session's interpreter, answered by a {@link StreamUpdate.Answer}. On the wire it is the
     * question's own JSON with {@code requestId} and {@code kind} beside its fields (see {@link FlatEnvelope}).
     */
    @JsonSerialize(using = Ask.Writer.class)
    @JsonDeserialize(using = Ask.Reader.class)
    record Ask(int requestId, InterpreterQuestion<?> question, String kind) implements StreamRequest {

        static final class Writer extends FlatEnvelope.Writer<Ask> {
            Writer() {
                super(Ask.class, ask -> new FlatEnvelope(ask.requestId(), ask.question(), ask.kind()));
            }
        }

        static final class Reader extends FlatEnvelope.Reader<Ask> {
            Reader() {
                super(Ask.class, InterpreterQuestion.class, flat -> new Ask(flat.requestId(),
                        (InterpreterQuestion<?>) flat.payload(), flat.kind()));
            }
        }
    }
}
