package dev.sparkgate.gateway.session;

import dev.sparkgate.protocol.SessionState;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A session's state and the one table of which state may follow which. Everything that happens to a session (its
 * driver became ready, a statement started or finished, the driver exited, a timeout, a delete) is an event here;
 * an event that is not legal in the current state changes nothing, because the driver's link, its process and the
 * timers report concurrently and late reports must not revive a session. Not thread-safe: its session's lock guards it.
 *
 * <p>Recovery: a restarted gateway rebuilds each session it finds as {@code recovering} (Livy's state for it), which
 * its driver's return leaves for {@code idle} or {@code busy}, and its absence for {@code dead}.
 */
public final class SessionLifecycle {

    private static final Map<SessionState, Set<SessionState>> NEXT = new EnumMap<>(SessionState.class);

    static {
        // Accepted, waiting for a start slot (the gateway starts so many at once); deleted while waiting, it ends.
        NEXT.put(SessionState.not_started, EnumSet.of(SessionState.starting, SessionState.shutting_down));
        NEXT.put(SessionState.starting, EnumSet.of(SessionState.idle, SessionState.busy, SessionState.error,
                SessionState.shutting_down));
        NEXT.put(SessionState.recovering, EnumSet.of(SessionState.idle, SessionState.busy, SessionState.dead,
                SessionState.shutting_down));
        NEXT.put(SessionState.idle, EnumSet.of(SessionState.busy, SessionState.dead, SessionState.shutting_down));
        NEXT.put(SessionState.busy, EnumSet.of(SessionState.idle, SessionState.dead, SessionState.shutting_down));
        NEXT.put(SessionState.shutting_down, EnumSet.of(SessionState.killed));
    }

    private SessionState state;

    /** A new session: accepted, its driver not launched yet ({@code not_started}, Livy's first state). */
    public SessionLifecycle() {
        this(SessionState.not_started);
    }

    private SessionLifecycle(SessionState initial) {
        this.state = initial;
    }

    /** A session a restarted gateway found, waiting for its driver to come back. */
    public static SessionLifecycle recovering() {
        return new SessionLifecycle(SessionState.recovering);
    }

    public SessionState state() {
        return state;
    }

    /** Whether {@code next} may follow the current state. */
    public boolean allows(SessionState next) {
        return NEXT.getOrDefault(state, Set.of()).contains(next);
    }

    /** The session's driver is being launched. */
    public boolean launching() {
        return moveTo(SessionState.starting);
    }

    /** The driver is up, or back: the session is idle, or busy if statements already wait. */
    public boolean driverReady(boolean working) {
        return (state == SessionState.starting || state == SessionState.recovering)
                && moveTo(working ? SessionState.busy : SessionState.idle);
    }

    /** A recovering session's driver did not come back in time: the session is dead. */
    public boolean driverLost() {
        return state == SessionState.recovering && moveTo(SessionState.dead);
    }

    /** A statement was queued or finished: busy while any is unfinished, else idle. Only a running session works. */
    public boolean workChanged(boolean working) {
        return state.active() && moveTo(working ? SessionState.busy : SessionState.idle);
    }

    /** The session cannot start (a refused version check, Spark failing, a start timeout). */
    public boolean failedToStart() {
        return state == SessionState.starting && moveTo(SessionState.error);
    }

    /** The driver exited on its own: while starting that is an error, afterwards the session is dead. */
    public boolean driverExited() {
        return moveTo(state == SessionState.starting ? SessionState.error : SessionState.dead);
    }

    /** The session is being deleted; an ended session stays as it ended. */
    public boolean shutdownBegun() {
        return moveTo(SessionState.shutting_down);
    }

    /** The deleted session's driver is gone. */
    public boolean shutdownFinished() {
        return moveTo(SessionState.killed);
    }

    private boolean moveTo(SessionState next) {
        if (!allows(next)) {
            return false;
        }
        state = next;
        return true;
    }
}
