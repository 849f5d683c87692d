package dev.sparkgate.gateway.placement;

import dev.sparkgate.protocol.SessionView.DriverPodView;
import dev.sparkgate.protocol.SessionView.ExecutorView;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One session's driver as its placement knows it: reserved, then launched, then stopped, and released once. */
public interface PlacedDriver {

    /** The Spark confs the placement sets for this driver; they go over the user's. */
    Map<String, String> sparkConf();

    /** The image the session's executors run, which the version check must prove first; empty when there is none. */
    Optional<ExecutorImage> executorImage();

    /**
     * The secret the driver already holds, which the session must then have: a pooled driver pod's, made before the
     * session existed. Empty for a driver started for its session, which gets the session's own.
     */
    default Optional<String> secret() {
        return Optional.empty();
    }

    /** Starts the driver. Its exit, whenever it comes, is reported once to {@link DriverLaunch#onExit()}. */
    void launch(DriverLaunch launch) throws IOException;

    /**
     * Follows a driver found running after a gateway restart ({@link DriverPlacement#reclaim}) as {@link #launch}
     * follows a new one: its output into the log, its exit, once, to {@link DriverLaunch#onExit()} (at once if it is
     * gone already). It is not started again.
     */
    default void reattach(DriverLaunch launch) {
        throw new UnsupportedOperationException("this driver was not found, it was placed: launch it");
    }

    /**
     * Gives the driver {@code grace} to stop on its own (it was asked over its link), then ends it; returns once it
     * is gone, and its executors with it.
     */
    void stop(Duration grace);

    /** The session's executors as they are now; none while they run inside the driver. */
    List<ExecutorView> executors();

    /**
     * The driver's own output as of now, when its placement keeps it elsewhere than the session's log (a pod's
     * container log, which only Kubernetes holds while the driver runs): at most the last {@code lines}.
     */
    default Optional<List<String>> outputNow(int lines) {
        return Optional.empty();
    }

    /** The pod the driver runs in, when it runs in one of its own. */
    default Optional<DriverPodView> driverPod() {
        return Optional.empty();
    }

    /** Frees what was reserved for the session (executors, ports). Once; later calls do nothing. */
    void release();
}
