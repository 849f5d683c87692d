package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a client sends on a session's stream ({@code /sessions/{id}/stream}). {@code requestId} is the client's
 * own number, echoed in the reply so it can match answers to questions. {@code kind} may be omitted where the
 * session's kind decides.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StreamRequest.Execute.class, name = "execute"),
        @JsonSubTypes.Type(value = StreamRequest.Cancel.class, name = "cancel"),
        @JsonSubTypes.Type(value = StreamRequest.Complete.class, name = "complete"),
        @JsonSubTypes.Type(value = StreamRequest.CheckComplete.class, name = "check_complete"),
        @JsonSubTypes.Type(value = StreamRequest.Inspect.class, name = "inspect"),
})
public sealed interface StreamRequest {

    int requestId();

    record Execute(int requestId, String code, String kind) implements StreamRequest {
    }

    record Cancel(int requestId, int statementId) implements StreamRequest {
    }

    record Complete(int requestId, String code, int cursor, String kind) implements StreamRequest {
    }

    record CheckComplete(int requestId, String code, String kind) implements StreamRequest {
    }

    /** Documentation of the name at {@code cursor}; {@code detailLevel} 1 adds source where there is any. */
    record Inspect(int requestId, String code, int cursor, int detailLevel, String kind) implements StreamRequest {
    }
}
