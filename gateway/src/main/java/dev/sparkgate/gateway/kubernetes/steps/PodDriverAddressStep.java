package dev.sparkgate.gateway.kubernetes.steps;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where executors dial a driver that runs in a pod of its own: the pod's IP, which Kubernetes fills in for
 * {@code $(POD_IP)} (the downward API), on every interface. Each pod has its own IP, so every driver can use Spark's
 * usual fixed ports (7078, 7079); where pods share one address (the emulated cluster runs them all on 127.0.0.1),
 * {@code perSessionPorts} gives each session its own two from the gateway's range instead, and its Spark UI a free
 * port (Spark tries only 4040 to 4056, so the 17th driver on one address would fail to start; the gateway reaches
 * the UI at the address the driver reports). There the executors' block managers take any free port too, as
 * {@link DriverAddressStep} says why; with an address per pod they keep Spark's fixed one, which their pods declare.
 *
 * @param perSessionPorts whether the session's own ports are used rather than the fixed ones
 */
public record PodDriverAddressStep(boolean perSessionPorts) implements ExecutorConfStep {

    public static final String POD_IP_REFERENCE = "$(POD_IP)";
    public static final int FIXED_DRIVER_PORT = 7078;
    public static final int FIXED_BLOCK_MANAGER_PORT = 7079;

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        int driverPort = perSessionPorts ? session.driverPort() : FIXED_DRIVER_PORT;
        int blockManagerPort = perSessionPorts ? session.blockManagerPort() : FIXED_BLOCK_MANAGER_PORT;
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.driver.host", POD_IP_REFERENCE);
        conf.put("spark.driver.bindAddress", "0.0.0.0");
        conf.put("spark.driver.port", String.valueOf(driverPort));
        conf.put("spark.driver.blockManager.port", String.valueOf(blockManagerPort));
        conf.put("spark.blockManager.port", perSessionPorts ? DriverAddressStep.EXECUTORS_ANY_PORT
                : String.valueOf(FIXED_BLOCK_MANAGER_PORT));
        if (perSessionPorts) {
            conf.put("spark.ui.port", "0");
        }
        return conf;
    }
}
