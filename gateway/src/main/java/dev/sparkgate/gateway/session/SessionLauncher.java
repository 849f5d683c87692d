package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.logging.LogContext;
import dev.sparkgate.gateway.placement.DriverLaunch;
import dev.sparkgate.gateway.placement.PlacedDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

/**
 * Starts sessions' drivers off the request thread: the version gate first (where executors run an image), then the
 * placed driver's launch. A launch that fails ends the session as a driver exit would, with the cause in its log.
 */
final class SessionLauncher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLauncher.class);

    private final VersionGate versions;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "driver-launcher");
        t.setDaemon(true);
        return t;
    });

    SessionLauncher(VersionGate versions) {
        this.versions = versions;
    }

    /** Launches {@code session}'s driver in the background; {@code onExit} hears of its exit. */
    void launch(Session session, IntConsumer onExit) {
        pool.execute(() -> run(session, onExit));
    }

    private void run(Session session, IntConsumer onExit) {
        try (LogContext logContext = LogContext.session(session.id(), session.spec().owner())) {
            PlacedDriver placed = session.placed();
            boolean admitted = placed.executorImage().map(image -> versions.admit(session, image)).orElse(true);
            if (!admitted) {
                placed.release();
                return;
            }
            try {
                placed.launch(new DriverLaunch(session.spec(), session.secret(), session.log(), onExit,
                        session.record().toJson()));
            } catch (IOException | RuntimeException e) {
                session.log().append("sparkgate: could not start the driver JVM: " + e.getMessage());
                LOG.error("session {}: could not start the driver JVM: {}", session.id(), e.toString());
                onExit.accept(Session.LAUNCH_FAILED);
                placed.release();
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
