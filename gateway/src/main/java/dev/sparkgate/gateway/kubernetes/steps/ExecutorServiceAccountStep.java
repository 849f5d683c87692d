package dev.sparkgate.gateway.kubernetes.steps;

import java.util.Map;

/** The service account executor pods run as, when the operator names one (else the namespace's default). */
public record ExecutorServiceAccountStep(String serviceAccount) implements ExecutorConfStep {

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        return serviceAccount == null ? Map.of()
                : Map.of("spark.kubernetes.authenticate.executor.serviceAccountName", serviceAccount);
    }
}
