package dev.sparkgate.gateway.livy;

import dev.sparkgate.gateway.session.Statement;
import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.StatementEvent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A statement in Livy's JSON, derived from its events. Livy's {@code text/plain} is everything the cell printed
 * followed by its value, which is what sparkmagic and Zeppelin parse.
 */
public record LivyStatement(int id, String code, String state, Map<String, Object> output, double progress,
                            long started, long completed) {

    public static LivyStatement of(Statement statement) {
        return new LivyStatement(statement.id(), statement.code(), statement.state().name(), output(statement),
                statement.progress(), statement.startedAt(), statement.completedAt());
    }

    static Map<String, Object> output(Statement statement) {
        StatementEvent.Finished finished = statement.finished();
        if (finished == null) {
            return null;
        }
        Map<String, Object> output = new LinkedHashMap<>();
        if (finished.outcome() == StatementEvent.Outcome.ok) {
            Map<String, Object> data = new LinkedHashMap<>();
            statement.displays().forEach(display -> data.putAll(display.data()));
            data.putAll(finished.result());
            Object value = finished.result().get(Mime.TEXT);
            data.put(Mime.TEXT, statement.streamedText() + (value == null ? "" : value));
            output.put("status", "ok");
            output.put("execution_count", statement.id());
            output.put("data", data);
        } else {
            output.put("status", "error");
            output.put("execution_count", statement.id());
            output.put("ename", finished.error().ename());
            output.put("evalue", finished.error().evalue());
            output.put("traceback", finished.error().traceback());
        }
        return output;
    }
}
