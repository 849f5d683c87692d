package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A question to a session's interpreter about code that is not run: the one set of questions the stream, the driver
 * link and the Jupyter kernel all ask. Each names the type of its {@link InterpreterAnswer}. Cursors are UTF-16
 * offsets into {@code code}.
 *
 * @param <A> the answer it gets
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = InterpreterQuestion.Complete.class, name = "complete"),
        @JsonSubTypes.Type(value = InterpreterQuestion.CheckComplete.class, name = "check_complete"),
        @JsonSubTypes.Type(value = InterpreterQuestion.Inspect.class, name = "inspect"),
})
public sealed interface InterpreterQuestion<A extends InterpreterAnswer> {

    String code();

    /** The answer's type, to take an answer that came over a link as what this question asked for. */
    Class<A> answerType();

    /** What an interpreter that cannot be asked (not started, gone, failed) answers. */
    A noAnswer();

    /** Completion candidates at {@code cursor}. */
    record Complete(String code, int cursor) implements InterpreterQuestion<InterpreterAnswer.Completions> {
        public Complete {
            code = code == null ? "" : code;
            // Clients send what their editor has; a cursor outside the code means its end or start, not an error.
            cursor = Math.max(0, Math.min(cursor, code.length()));
        }

        @Override
        public Class<InterpreterAnswer.Completions> answerType() {
            return InterpreterAnswer.Completions.class;
        }

        @Override
        public InterpreterAnswer.Completions noAnswer() {
            return InterpreterAnswer.Completions.none(cursor);
        }
    }

    /** Whether {@code code} is a whole cell, as Jupyter's is_complete asks. */
    record CheckComplete(String code) implements InterpreterQuestion<InterpreterAnswer.Completeness> {
        public CheckComplete {
            code = code == null ? "" : code;
        }

        @Override
        public Class<InterpreterAnswer.Completeness> answerType() {
            return InterpreterAnswer.Completeness.class;
        }

        @Override
        public InterpreterAnswer.Completeness noAnswer() {
            return InterpreterAnswer.Completeness.UNKNOWN;
        }
    }

    /**
     * Documentation of the name at {@code cursor}, as Jupyter's inspect asks: {@code detailLevel} 0, or 1 to add
     * source where there is any.
     */
    record Inspect(String code, int cursor, int detailLevel)
            implements InterpreterQuestion<InterpreterAnswer.Inspection> {
        public Inspect {
            code = code == null ? "" : code;
            cursor = Math.max(0, Math.min(cursor, code.length()));
        }

        @Override
        public Class<InterpreterAnswer.Inspection> answerType() {
            return InterpreterAnswer.Inspection.class;
        }

        @Override
        public InterpreterAnswer.Inspection noAnswer() {
            return InterpreterAnswer.Inspection.NOTHING;
        }
    }
}
