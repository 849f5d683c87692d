package dev.sparkgate.gateway.kubernetes.steps;

import java.util.Map;

/** The namespace executors run in: the session's own choice, else the gateway's default. */
public record NamespaceStep() implements ExecutorConfStep {

    static final String CONF = "spark.kubernetes.namespace";

    /** The namespace a session with {@code conf} runs its executors in. */
    public static String namespaceFor(Map<String, String> conf, String defaultNamespace) {
        return conf.getOrDefault(CONF, defaultNamespace);
    }

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        return Map.of(CONF, session.namespace());
    }
}
