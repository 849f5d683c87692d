package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.logging.LogContext;
import dev.sparkgate.protocol.SessionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Watches sessions over time: a driver's exit ends its session ({@code dead}, or {@code error} while starting); a
 * driver not ready within the start timeout is stopped; a session idle for longer than its idle timeout (Livy's
 * session timeout) is deleted, freeing its driver. One timer thread for all sessions.
 */
final class SessionSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionSupervisor.class);

    private final Duration startTimeout;
    private final Consumer<Session> stop;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "session-timers");
        t.setDaemon(true);
        return t;
    });

    /**
     * {@code stop} stops a session's driver (a start that timed out); {@code cull} deletes a session idle too long;
     * {@code sessions} lists the sessions to look at.
     */
    SessionSupervisor(Duration startTimeout, Supplier<List<Session>> sessions, Consumer<Session> stop,
                      Consumer<Session> cull) {
        this.startTimeout = startTimeout;
        this.stop = stop;
        timers.scheduleWithFixedDelay(() -> cullIdle(sessions.get(), cull), 1, 1, TimeUnit.SECONDS);
    }

    /** Starts watching a session that is starting: what to tell when its driver exits. */
    IntConsumer watch(Session session) {
        timers.schedule(() -> {
            session.onStartTimeout(startTimeout);
            if (session.state() == SessionState.error) {
                stop.accept(session);
            }
        }, startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return session::onDriverExit;
    }

    /**
     * Starts watching a session found after a restart: dead, and its driver stopped, unless the driver dials back
     * within {@code timeout}; what to tell when its driver exits.
     */
    IntConsumer watchRecovery(Session session, Duration timeout) {
        timers.schedule(() -> {
            if (session.onRecoveryTimeout(timeout)) {
                stop.accept(session);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return session::onDriverExit;
    }

    private static void cullIdle(List<Session> sessions, Consumer<Session> cull) {
        long now = System.currentTimeMillis();
        for (Session session : sessions) {
            Duration timeout = session.terms().idleTimeout();
            if (!timeout.isZero() && session.idleFor(now).compareTo(timeout) > 0) {
                try (LogContext logContext = LogContext.session(session.id(), session.spec().owner())) {
                    LOG.info("session {}: culled after {} s idle", session.id(), timeout.toSeconds());
                }
                cull.accept(session);
            }
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
