package dev.sparkgate.gateway.placement;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Session ids, in order and never twice, across gateway restarts where the placement keeps its sessions: a client
 * holding session 3 must never find another user's session 3 after a restart.
 */
public interface SessionIds {

    /** The next id; it is used up even if the session is then refused. */
    int next();

    /** Makes sure ids from now on are above {@code id} (a session found after a restart has it). */
    void skipPast(int id);

    /** Ids kept in memory: for a placement whose sessions end with the gateway. */
    static SessionIds inMemory() {
        AtomicInteger next = new AtomicInteger();
        return new SessionIds() {
            @Override
            public int next() {
                return next.getAndIncrement();
            }

            @Override
            public void skipPast(int id) {
                next.accumulateAndGet(id + 1, Math::max);
            }
        };
    }
}
