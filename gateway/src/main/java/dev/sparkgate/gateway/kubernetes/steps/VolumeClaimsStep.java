package dev.sparkgate.gateway.kubernetes.steps;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sessions use no persistent volume claims. Spark 3.5 defaults these to true: it would then list and delete claims,
 * which the gateway's Role does not grant.
 */
public record VolumeClaimsStep() implements ExecutorConfStep {

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.kubernetes.driver.ownPersistentVolumeClaim", "false");
        conf.put("spark.kubernetes.driver.reusePersistentVolumeClaim", "false");
        return conf;
    }
}
