package dev.sparkgate.gateway.session;

import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A session's statements and their events, in the order they happened, so every view (Livy's, the stream's, a resumed
 * stream's) reads one record. Statement ids are handed out here; event sequence numbers ({@code seq}) come from the
 * driver, which numbers and keeps its session's events, so a journal rebuilt after a gateway restart (from the
 * driver's {@code accepted} events on) has the same ids and numbers as the one that was lost. Only the events the
 * gateway writes itself once the driver is gone (a statement failed by the driver's exit) are numbered here, after
 * the driver's. Bounded: beyond {@code retainedStatements} the oldest finished statements are dropped with their
 * events; an unfinished one is kept however old. A statement's progress is a state, not a history: its newest
 * {@code progress} event replaces the one before (the driver repeats it several times a second while a job runs, so
 * an hours-long cell would otherwise keep tens of thousands), and a client resuming gets the latest. Not thread-safe:
 * its session's lock guards it.
 */
public final class EventJournal {

    private final int retainedStatements;
    private final Map<Integer, Statement> statements = new LinkedHashMap<>();
    private final Deque<StreamUpdate.Event> events = new ArrayDeque<>();
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
     * Records {@code event} of its statement as the next {@code seq}, for what the gateway itself says of a statement
     * (the driver is gone); empty when the statement is not (or no longer) in the journal.
     */
    public Optional<StreamUpdate.Event> record(StatementEvent event) {
        return statements.containsKey(event.statementId()) ? record(seq + 1, event) : Optional.empty();
    }

    /**
     * Records {@code event} as the driver numbered it. An event the journal has already (a driver resuming from before
     * what the gateway had) is not recorded twice: empty. An {@code accepted} event of a statement the journal does
     * not know is a statement it lost (a gateway restart): it is opened again with its id, and later ids follow it.
     */
    public Optional<StreamUpdate.Event> record(long numbered, StatementEvent event) {
        if (numbered <= seq) {
            return Optional.empty();
        }
        Statement statement = statements.get(event.statementId());
        if (statement == null && event instanceof StatementEvent.Accepted accepted) {
            statement = new Statement(accepted.statementId(), Kind.parse(accepted.kind()).orElse(Kind.spark),
                    accepted.code());
            statements.put(statement.id(), statement);
            nextStatementId = Math.max(nextStatementId, statement.id() + 1);
            dropOldest();
        }
        // numbered either way: a dropped statement's events are not asked for again
        seq = numbered;
        if (statement == null) {
            return Optional.empty();
        }
        statement.record(event);
        if (event instanceof StatementEvent.Progress) {
            StatementEvent.Progress.dropLatest(events.descendingIterator(), StreamUpdate.Event::event,
                    event.statementId());
        }
        StreamUpdate.Event update = new StreamUpdate.Event(numbered, event);
        events.add(update);
        return Optional.of(update);
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
