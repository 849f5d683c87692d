package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * An interpreter's answer to an {@link InterpreterQuestion}: the one set of answers the driver gives, the stream
 * replies with and the Jupyter kernel maps to its replies. Offsets are UTF-16 offsets into the question's code.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = InterpreterAnswer.Completions.class, name = "completions"),
        @JsonSubTypes.Type(value = InterpreterAnswer.Completeness.class, name = "completeness"),
        @JsonSubTypes.Type(value = InterpreterAnswer.Inspection.class, name = "inspection"),
})
public sealed interface InterpreterAnswer {

    /** Completion candidates; each replaces the text between {@code cursorStart} and {@code cursorEnd}. */
    record Completions(List<String> candidates, int cursorStart, int cursorEnd) implements InterpreterAnswer {
        public Completions {
            candidates = candidates == null ? List.of() : List.copyOf(candidates);
        }

        public static Completions none(int cursor) {
            return new Completions(List.of(), cursor, cursor);
        }
    }

    /** Jupyter's is_complete answer; {@code indent} is what the next line should start with when incomplete. */
    record Completeness(Status status, String indent) implements InterpreterAnswer {
        public static final Completeness COMPLETE = new Completeness(Status.complete, "");
        public static final Completeness INVALID = new Completeness(Status.invalid, "");
        public static final Completeness UNKNOWN = new Completeness(Status.unknown, "");

        public Completeness {
            status = status == null ? Status.unknown : status;
            indent = indent == null ? "" : indent;
        }

        public static Completeness incomplete(String indent) {
            return new Completeness(Status.incomplete, indent);
        }

        /** Jupyter's names, as they go on every wire. */
        public enum Status { complete, incomplete, invalid, unknown }
    }

    /** What the interpreter knows of the name at the cursor, as plain text; {@code found} false when nothing. */
    record Inspection(boolean found, String text) implements InterpreterAnswer {
        public static final Inspection NOTHING = new Inspection(false, "");

        public Inspection {
            text = text == null ? "" : text;
        }

        public static Inspection of(String text) {
            return new Inspection(true, text);
        }
    }
}
