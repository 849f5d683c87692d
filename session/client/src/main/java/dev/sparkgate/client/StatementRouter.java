package dev.sparkgate.client;

import dev.sparkgate.protocol.StatementEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Hands each statement's events to whoever submitted it, in order, ending with its {@code finished} event. The stream
 * may deliver a statement's first events before the submitter has its id, so events of a statement nobody claimed yet
 * wait here; only the latest few statements' are kept, since the rest belong to other clients of a shared session.
 * Once the stream is over, every claimed statement gets a failed {@code finished} saying why, and so does any claimed
 * later.
 */
final class StatementRouter {

    static final int UNCLAIMED_KEPT = 16;

    private final Map<Integer, Consumer<StatementEvent>> claimed = new HashMap<>();
    private final LinkedHashMap<Integer, List<StatementEvent>> unclaimed = new LinkedHashMap<>();
    private StatementEvent.ErrorInfo over;

    synchronized void route(StatementEvent event) {
        Consumer<StatementEvent> owner = claimed.get(event.statementId());
        if (owner != null) {
            deliver(event, owner);
            return;
        }
        unclaimed.computeIfAbsent(event.statementId(), id -> new ArrayList<>()).add(event);
        Iterator<Integer> oldest = unclaimed.keySet().iterator();
        while (unclaimed.size() > UNCLAIMED_KEPT) {
            oldest.next();
            oldest.remove();
        }
    }

    /** From now on {@code owner} gets the statement's events, starting with those that came before. */
    synchronized void claim(int statementId, Consumer<StatementEvent> owner) {
        claimed.put(statementId, owner);
        List<StatementEvent> early = unclaimed.remove(statementId);
        if (early != null) {
            early.forEach(event -> deliver(event, owner));
        }
        if (over != null && claimed.containsKey(statementId)) {
            deliver(StatementEvent.Finished.failed(statementId, over), owner);
        }
    }

    /** No more events will come: every unfinished claimed statement, and any claimed from now on, ends with {@code why}. */
    synchronized void closeAll(StatementEvent.ErrorInfo why) {
        over = why;
        for (Integer statementId : List.copyOf(claimed.keySet())) {
            deliver(StatementEvent.Finished.failed(statementId, why), claimed.get(statementId));
        }
        unclaimed.clear();
    }

    private void deliver(StatementEvent event, Consumer<StatementEvent> owner) {
        if (event instanceof StatementEvent.Finished) {
            claimed.remove(event.statementId());
        }
        owner.accept(event);
    }
}
