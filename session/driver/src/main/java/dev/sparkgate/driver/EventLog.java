package dev.sparkgate.driver;

import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.StatementEvent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The session's statement events as the driver keeps them: numbered here ({@code seq} from 1, the numbers clients see
 * on the stream), sent to the gateway while a link is resumed, and kept when none is, so that a gateway that comes
 * back (a dropped link, a restarted gateway) asks for what it missed and gets it with the same numbers.
 *
 * <p>A statement's progress is a state, not a history, as in the gateway's journal: its newest report replaces the one
 * before (a job running for hours reports several times a second, and must not push anyone's output out).
 *
 * <p>Bounded, like the gateway's journal: at most {@code maxEvents} events. Beyond it the events of the oldest
 * finished statements go first, whole; a statement that alone outgrows it loses its oldest output chunks, displays and
 * progress reports (never its {@code accepted}, {@code started} or {@code finished}). A gateway resuming
 * from before what is kept gets what is kept: the numbers show the gap. Thread-safe.
 */
final class EventLog {

    private final int maxEvents;
    private final Deque<DriverMessage.Event> events = new ArrayDeque<>();
    private final Set<Integer> finished = new HashSet<>();
    private long seq;
    /** Where events go as they happen; null while no gateway has resumed the current link. */
    private Consumer<DriverMessage> live;

    EventLog(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    /** Numbers {@code event}, keeps it, and sends it if a gateway listens. */
    synchronized void append(StatementEvent event) {
        DriverMessage.Event numbered = new DriverMessage.Event(++seq, event);
        if (event instanceof StatementEvent.Progress) {
            StatementEvent.Progress.dropLatest(events.descendingIterator(), DriverMessage.Event::event,
                    event.statementId());
        }
        events.addLast(numbered);
        if (event instanceof StatementEvent.Finished) {
            finished.add(event.statementId());
        }
        trim(event.statementId());
        if (live != null) {
            live.accept(numbered);
        }
    }

    /** Sends every kept event numbered after {@code since} to {@code sink}, then each new one as it is appended. */
    synchronized void resume(long since, Consumer<DriverMessage> sink) {
        events.stream().filter(e -> e.seq() > since).forEach(sink);
        live = sink;
    }

    /** The link is gone: events are kept, not sent, until the next {@link #resume}. */
    synchronized void detach() {
        live = null;
    }

    synchronized long lastSeq() {
        return seq;
    }

    synchronized int size() {
        return events.size();
    }

    /** Makes room, never at the cost of {@code newest}'s statement as a whole: it may just have finished. */
    private void trim(int newest) {
        while (events.size() > maxEvents) {
            if (!dropOldestFinishedStatement(newest)) {
                dropOldestChunk();
                return;
            }
        }
    }

    private boolean dropOldestFinishedStatement(int newest) {
        for (DriverMessage.Event event : events) {
            int statement = event.event().statementId();
            if (statement != newest && finished.contains(statement)) {
                events.removeIf(e -> e.event().statementId() == statement);
                finished.remove(statement);
                return true;
            }
        }
        return false;
    }

    private void dropOldestChunk() {
        for (Iterator<DriverMessage.Event> it = events.iterator(); it.hasNext(); ) {
            StatementEvent event = it.next().event();
            if (event instanceof StatementEvent.Stream || event instanceof StatementEvent.Progress
                    || event instanceof StatementEvent.Display) {
                it.remove();
                return;
            }
        }
    }
}
