package dev.sparkgate.gateway.kubernetes.steps;

import java.util.LinkedHashMap;
import java.util.Map;

/** The driver's cluster manager: the API server, in client mode (the driver is ours, the executors are pods). */
public record MasterStep(String apiServerUrl) implements ExecutorConfStep {

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.master", "k8s://" + apiServerUrl.replaceAll("/+$", ""));
        conf.put("spark.submit.deployMode", "client");
        return conf;
    }
}
