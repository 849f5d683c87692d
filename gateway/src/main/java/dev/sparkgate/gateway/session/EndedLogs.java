package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.errors.NotFound;
import dev.sparkgate.gateway.errors.SessionNotFound;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The driver logs of deleted sessions, kept for a while so that {@code GET /sessions/{id}/log} still answers after a
 * delete or a cull (why did it die? what did it print last?): at most {@link #MAX_KEPT} logs, each for at most
 * {@link #KEPT_FOR} after its session was deleted; the oldest go first. Each log is itself bounded (its last 2,000
 * lines), so this holds at most a few MB. After that the log answers 404 with when and why it went.
 */
final class EndedLogs {

    static final Duration KEPT_FOR = Duration.ofHours(1);
    static final int MAX_KEPT = 100;

    private record Ended(int id, DriverLog log, long endedAt, String owner, Sharing sharing) {
    }

    private final Clock clock;
    private final Deque<Ended> ended = new ArrayDeque<>();
    /** The highest session id whose log was dropped: a lower or equal id that is not here is gone for good. */
    private int droppedUpTo = -1;

    EndedLogs(Clock clock) {
        this.clock = clock;
    }

    synchronized void keep(int id, DriverLog log, String owner, Sharing sharing) {
        ended.addLast(new Ended(id, log, clock.millis(), owner, sharing));
        expire();
    }

    /** The log of deleted session {@code id}, or why it is gone. */
    synchronized SessionLog log(String idOrName, Optional<Integer> id) {
        expire();
        if (id.isPresent()) {
            for (Ended e : ended) {
                if (e.id() == id.get()) {
                    return new SessionLog(e.id(), e.log(), e.owner(), e.sharing());
                }
            }
            if (id.get() <= droppedUpTo) {
                throw new NotFound("Session " + id.get() + " was deleted, and its driver's log is no longer kept: "
                        + "the gateway keeps the logs of the last " + MAX_KEPT + " deleted sessions for "
                        + KEPT_FOR.toMinutes() + " minutes each. Read it sooner next time, or ship driver logs to "
                        + "your log store.");
            }
        }
        throw new SessionNotFound(idOrName);
    }

    private void expire() {
        long oldest = clock.millis() - KEPT_FOR.toMillis();
        while (!ended.isEmpty() && (ended.size() > MAX_KEPT || ended.peekFirst().endedAt() < oldest)) {
            droppedUpTo = Math.max(droppedUpTo, ended.removeFirst().id());
        }
    }
}
