package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The life of one statement, as a short sequence of events:
 * {@code accepted -> started -> (stream | display | progress)* -> finished}.
 *
 * <p>This is the only model of a statement's output. The driver emits everything after {@code accepted}; the
 * gateway records the sequence and every adapter (Livy JSON, Jupyter messages, Zeppelin output, the browser)
 * maps from it. {@code at} fields are epoch milliseconds.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StatementEvent.Accepted.class, name = "accepted"),
        @JsonSubTypes.Type(value = StatementEvent.Started.class, name = "started"),
        @JsonSubTypes.Type(value = StatementEvent.Stream.class, name = "stream"),
        @JsonSubTypes.Type(value = StatementEvent.Display.class, name = "display"),
        @JsonSubTypes.Type(value = StatementEvent.Progress.class, name = "progress"),
        @JsonSubTypes.Type(value = StatementEvent.Finished.class, name = "finished"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface StatementEvent {

    int statementId();

    /** The gateway queued the statement; it runs after the ones before it. */
    record Accepted(int statementId, String kind, String code, long at) implements StatementEvent {
    }

    /** The driver began running the statement. */
    record Started(int statementId, long at) implements StatementEvent {
    }

    /** A chunk of stdout or stderr, sent while the statement runs. */
    record Stream(int statementId, StreamName name, String text) implements StatementEvent {
    }

    /**
     * Rich output produced during the statement (a table, an image, HTML), as a MIME bundle.
     * A {@code displayId} lets a later display replace an earlier one in place.
     */
    record Display(int statementId, Map<String, Object> data, String displayId) implements StatementEvent {

        public Display {
            data = SqlTable.sharingRows(data);
        }
    }

    /** The state of the statement's Spark jobs; {@code fraction} is completed tasks over all tasks known so far. */
    record Progress(int statementId, double fraction, List<JobProgress> jobs) implements StatementEvent {

        /**
         * Removes the statement's latest progress from kept events, given newest first: progress is a state, not a
         * history, so whoever keeps events (the driver's log, the gateway's journal) keeps only the latest. It is
         * near the end while jobs run; the search stops at the statement's {@link Accepted}.
         */
        public static <E> void dropLatest(Iterator<E> newestFirst, Function<E, StatementEvent> eventOf,
                                          int statementId) {
            while (newestFirst.hasNext()) {
                StatementEvent earlier = eventOf.apply(newestFirst.next());
                if (earlier.statementId() == statementId) {
                    if (earlier instanceof Progress) {
                        newestFirst.remove();
                        return;
                    }
                    if (earlier instanceof Accepted) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * The statement ended. {@code result} is the MIME bundle of its value (empty when it has none);
     * {@code error} is set exactly when the outcome is {@link Outcome#error}.
     */
    record Finished(int statementId, Outcome outcome, Map<String, Object> result, ErrorInfo error, long at)
            implements StatementEvent {

        /** A table's rows are held once, however many shapes of the table the bundle has. */
        public Finished {
            result = SqlTable.sharingRows(result);
        }

        public static Finished ok(int statementId, Map<String, Object> result) {
            return new Finished(statementId, Outcome.ok, result, null, System.currentTimeMillis());
        }

        public static Finished failed(int statementId, ErrorInfo error) {
            return new Finished(statementId, Outcome.error, Map.of(), error, System.currentTimeMillis());
        }

        public static Finished cancelled(int statementId) {
            return cancelled(statementId, new ErrorInfo("Cancelled", "The statement was cancelled.", List.of()));
        }

        /** Cancelled, keeping what the interpreter itself said as it stopped (KeyboardInterrupt and where). */
        public static Finished cancelled(int statementId, ErrorInfo interpreterError) {
            return new Finished(statementId, Outcome.cancelled, Map.of(), interpreterError,
                    System.currentTimeMillis());
        }
    }

    enum StreamName { stdout, stderr }

    enum Outcome { ok, error, cancelled }

    /** One Spark job of a statement, as Spark's status tracker sees it. */
    record JobProgress(int jobId, String status, int numTasks, int completedTasks, int activeTasks, int failedTasks,
                       int numStages, int completedStages) {
    }

    /** What went wrong, in the shape notebooks show: exception name, message, and the frames worth reading. */
    record ErrorInfo(String ename, String evalue, List<String> traceback) {
    }
}
