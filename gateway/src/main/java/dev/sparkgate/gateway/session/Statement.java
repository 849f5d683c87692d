package dev.sparkgate.gateway.session;

import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.StatementEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement as the gateway knows it: its events so far. Everything else (state, progress, output) is derived
 * from them, so the Livy view and the stream can never disagree.
 */
public final class Statement {

    private final int id;
    private final Kind kind;
    private final String code;
    private final List<StatementEvent> events = new ArrayList<>();
    private boolean cancelRequested;

    Statement(int id, Kind kind, String code) {
        this.id = id;
        this.kind = kind;
        this.code = code;
    }

    public int id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** Keeps {@code event}; a {@code progress} event replaces the last one (progress is a state: see EventJournal). */
    synchronized void record(StatementEvent event) {
        if (event instanceof StatementEvent.Progress) {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (events.get(i) instanceof StatementEvent.Progress) {
                    events.remove(i);
                    break;
                }
            }
        }
        events.add(event);
    }

    synchronized void requestCancel() {
        cancelRequested = true;
    }

    public synchronized List<StatementEvent> events() {
        return List.copyOf(events);
    }

    public synchronized StatementEvent.Finished finished() {
        for (StatementEvent event : events) {
            if (event instanceof StatementEvent.Finished finished) {
                return finished;
            }
        }
        return null;
    }

    public synchronized StatementState state() {
        StatementEvent.Finished finished = finished();
        if (finished != null) {
            return finished.outcome() == StatementEvent.Outcome.cancelled
                    ? StatementState.cancelled : StatementState.available;
        }
        if (cancelRequested) {
            return StatementState.cancelling;
        }
        return events.stream().anyMatch(e -> e instanceof StatementEvent.Started)
                ? StatementState.running : StatementState.waiting;
    }

    /** Completed over all tasks of the statement's jobs; 1 once finished. */
    public synchronized double progress() {
        if (finished() != null) {
            return 1.0;
        }
        double progress = 0.0;
        for (StatementEvent event : events) {
            if (event instanceof StatementEvent.Progress p) {
                progress = p.fraction();
            }
        }
        return progress;
    }

    public synchronized long startedAt() {
        for (StatementEvent event : events) {
            if (event instanceof StatementEvent.Started started) {
                return started.at();
            }
        }
        return 0;
    }

    public synchronized long completedAt() {
        StatementEvent.Finished finished = finished();
        return finished == null ? 0 : finished.at();
    }

    /** Everything written to stdout and stderr, in the order it arrived. */
    public synchronized String streamedText() {
        StringBuilder text = new StringBuilder();
        for (StatementEvent event : events) {
            if (event instanceof StatementEvent.Stream stream) {
                text.append(stream.text());
            }
        }
        return text.toString();
    }

    /** The rich outputs displayed while the statement ran, in order. */
    public synchronized List<StatementEvent.Display> displays() {
        List<StatementEvent.Display> displays = new ArrayList<>();
        for (StatementEvent event : events) {
            if (event instanceof StatementEvent.Display display) {
                displays.add(display);
            }
        }
        return displays;
    }
}
