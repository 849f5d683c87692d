package dev.sparkgate.gateway.kubernetes.steps;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the driver authenticates to the API server to ask for executors: in a pod, with the service account's mounted
 * token; outside, with the gateway's kubeconfig, which it finds in its environment.
 */
public record ApiCredentialsStep(boolean inPod, Path kubeconfig) implements ExecutorConfStep {

    static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount/";

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        if (!inPod) {
            return Map.of();
        }
        // Client mode reads credentials under spark.kubernetes.authenticate.*, without the driver. prefix.
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.kubernetes.authenticate.caCertFile", SERVICE_ACCOUNT_DIR + "ca.crt");
        conf.put("spark.kubernetes.authenticate.oauthTokenFile", SERVICE_ACCOUNT_DIR + "token");
        return conf;
    }

    @Override
    public Map<String, String> driverEnvironment(ClusterSession session) {
        return kubeconfig == null ? Map.of() : Map.of("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    }
}
