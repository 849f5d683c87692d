package dev.sparkgate.gateway.kubernetes.steps;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where executors dial the driver: an address they can reach and the session's own two ports (from the gateway's
 * range, so a firewall can name them). In a pod the driver binds to every interface.
 *
 * <p>An executor's own block manager takes any free port ({@link #EXECUTORS_ANY_PORT}). It used to be given the
 * driver's, so every executor of a session bound that one number; where executors share an address (the emulated
 * cluster, host networking) the first took it and Spark's retries walked the rest up into other sessions' ports, until
 * a later session's driver found none left ("Service 'sparkDriver' failed after 16 retries"). Spark then declares no
 * block-manager port in the executor pod (0 is not a container port).
 */
public record DriverAddressStep(String driverHost, boolean inPod) implements ExecutorConfStep {

    /** Spark's port 0: the executor binds whichever port is free. */
    static final String EXECUTORS_ANY_PORT = "0";

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.driver.host", driverHost);
        conf.put("spark.driver.bindAddress", inPod ? "0.0.0.0" : driverHost);
        conf.put("spark.driver.port", String.valueOf(session.driverPort()));
        conf.put("spark.driver.blockManager.port", String.valueOf(session.blockManagerPort()));
        conf.put("spark.blockManager.port", EXECUTORS_ANY_PORT);
        return conf;
    }
}
