package dev.sparkgate.gateway.kubernetes.steps;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where executors dial the driver: an address they can reach and the session's own two ports (from the gateway's
 * range, so a firewall or a pod's declared ports can name them). In a pod the driver binds to every interface.
 */
public record DriverAddressStep(String driverHost, boolean inPod) implements ExecutorConfStep {

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.driver.host", driverHost);
        conf.put("spark.driver.bindAddress", inPod ? "0.0.0.0" : driverHost);
        conf.put("spark.driver.port", String.valueOf(session.driverPort()));
        conf.put("spark.blockManager.port", String.valueOf(session.blockManagerPort()));
        conf.put("spark.driver.blockManager.port", String.valueOf(session.blockManagerPort()));
        return conf;
    }
}
