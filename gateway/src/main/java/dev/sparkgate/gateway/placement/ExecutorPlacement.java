package dev.sparkgate.gateway.placement;

import dev.sparkgate.protocol.SessionView.ExecutorView;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One session's executors as their cluster placed them. */
public interface ExecutorPlacement {

    /** The Spark confs that put the executors there. */
    Map<String, String> sparkConf();

    /** What the driver's environment needs to reach the cluster (a kubeconfig, say). */
    Map<String, String> driverEnvironment();

    /** The image the executors run, when they run one. */
    Optional<ExecutorImage> image();

    /** The executors as they are now. */
    List<ExecutorView> executors();

    /** Deletes the executors that are left and frees what was reserved for them. */
    void release();
}
