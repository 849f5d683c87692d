package dev.sparkgate.gateway.placement;

import java.util.Map;
import java.util.Set;

/**
 * Where sessions' drivers run, and everything that differs with it: how a driver is launched and stopped, the Spark
 * confs and the environment it gets, where its executors go and what is shown of them. The session core sees only
 * this interface (Jupyter Enterprise Gateway's process proxies are the model). {@link LocalPlacement} runs each
 * driver as a process on this machine; a placement of drivers in pods of their own implements the same interface.
 *
 * <p>A placement whose drivers outlive the gateway keeps, beside each driver, what the session core asked it to
 * ({@link DriverLaunch#record()}) and the session's secret; a restarted gateway finds them ({@link #findDrivers()}) and
 * takes each driver back ({@link #reclaim}). Its session ids then survive the gateway too ({@link #sessionIds()}).
 */
public interface DriverPlacement extends AutoCloseable {

    /**
     * Reserves a place for session {@code sessionId}'s driver, given the session's Spark confs so far (operator
     * defaults and the user's). Refuses with a typed error (a missing executor image, a missing permission, no
     * capacity) before anything is started.
     */
    PlacedDriver place(int sessionId, Map<String, String> conf);

    /**
     * As {@link #place(int, Map)}, for a session of {@code owner}: a placement that puts sessions where their user or
     * group belongs overrides it (and refuses an owner it has no place for); the others ignore the owner.
     */
    default PlacedDriver place(int sessionId, Map<String, String> conf, SessionOwner owner) {
        return place(sessionId, conf);
    }

    /**
     * This placement's name, as the metrics label sessions with ({@code local}, {@code pod}): by default its class's
     * name without "Placement", lower case, so a new placement is named without being told.
     */
    default String name() {
        return getClass().getSimpleName().replace("Placement", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** Session ids, never reused: persisted where this placement keeps its sessions. */
    default SessionIds sessionIds() {
        return SessionIds.inMemory();
    }

    /** The drivers an earlier gateway left running (or that ended while no gateway watched), as found on start. */
    default java.util.List<FoundDriver> findDrivers() {
        return java.util.List.of();
    }

    /**
     * The found driver as a placed one, given its session's Spark confs: {@link PlacedDriver#reattach} then follows it
     * as {@link PlacedDriver#launch} follows a new one.
     */
    default PlacedDriver reclaim(FoundDriver found, Map<String, String> conf) {
        throw new UnsupportedOperationException(name() + " placement finds no drivers to reclaim");
    }

    /**
     * Starts keeping drivers warm ahead of sessions, when this placement has a pool ({@code SPARKGATE_WARM_SESSIONS}):
     * it starts one only while {@code room} says the gateway could hold a driver of those Spark confs.
     */
    default void keepWarm(java.util.function.Predicate<Map<String, String>> room) {
    }

    /** The Spark confs of each driver this placement keeps warm and no session took yet: they hold capacity too. */
    default java.util.List<Map<String, String>> pooled() {
        return java.util.List.of();
    }

    /** Removes what this placement left of sessions that are not among {@code liveSessions} (after a restart). */
    void reapOrphans(Set<Integer> liveSessions);

    @Override
    void close();
}
