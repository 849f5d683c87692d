package dev.sparkgate.gateway.session;

import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A session's statements and their events, in the order they happened: statement ids and event sequence numbers
 * ({@code seq}) are handed out here, so every view (Livy's, the stream's, a resumed stream's) reads one record.
 * Bounded: beyond {@code retainedStatements} the oldest finished statements are dropped with their events; an
 * unfinished one is kept however old. Not thread-safe: its session's lock guards it.
 */
public final class EventJournal {

    private final int retainedStatements;
    private final Map<Integer, Statement> statements = new LinkedHashMap<>();
    private final List<StreamUpdate.Event> events = new ArrayList<>();
    private int nextStatementId;
    private long seq;

    public EventJournal(int retainedStatements) {
        this.retainedStatements = retainedStatements;
    }

    /** A new statement with the next id; the oldest finished ones go if the journal is full. */
    public Statement open(Kind kind, String code) {
        Statement statement = new Statement(nextStatementId++, kind, code);
        statements.put(statement.id(), statement);
        dropOldest();
        return statement;
    }

    /**
     * Records {@code event} of its statement as the next {@code seq}; empty when the statement is not (or no longer)
     * in the journal, whose events then go nowhere.
     */
    public Optional<StreamUpdate.Event> record(StatementEvent event) {
        Statement statement = statements.get(event.statementId());
        if (statement == null) {
            return Optional.empty();
        }
        statement.record(event);
        StreamUpdate.Event numbered = new StreamUpdate.Event(++seq, event);
        events.add(numbered);
        return Optional.of(numbered);
    }

    /** Every event kept with a {@code seq} above {@code since}, in order: what a client resuming after it missed. */
    public List<StreamUpdate.Event> since(long since) {
        return events.stream().filter(event -> event.seq() > since).toList();
    }

    /** The last {@code seq} handed out; 0 before the first event. */
    public long lastSeq() {
        return seq;
    }

    public Optional<Statement> statement(int id) {
        return Optional.ofNullable(statements.get(id));
    }

    public List<Statement> statements() {
        return List.copyOf(statements.values());
    }

    public List<Statement> unfinished() {
        return statements.values().stream().filter(s -> s.finished() == null).toList();
    }

    public boolean working() {
        return statements.values().stream().anyMatch(s -> s.finished() == null);
    }

    private void dropOldest() {
        var oldest = statements.values().iterator();
        while (statements.size() > retainedStatements && oldest.hasNext()) {
            Statement statement = oldest.next();
            if (statement.finished() != null) {
                oldest.remove();
                events.removeIf(e -> e.event().statementId() == statement.id());
            }
        }
    }
}
