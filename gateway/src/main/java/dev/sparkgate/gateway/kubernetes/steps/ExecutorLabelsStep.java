package dev.sparkgate.gateway.kubernetes.steps;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels that make a session's executor pods this gateway's: by them the gateway shows a session's executors,
 * deletes them when it ends, and reaps those no session owns.
 */
public record ExecutorLabelsStep(String instance) implements ExecutorConfStep {

    public static final String SESSION_LABEL = "sparkgate.dev/session";
    public static final String GATEWAY_LABEL = "sparkgate.dev/gateway";

    /** The labels every executor pod of session {@code sessionId} of gateway {@code instance} carries. */
    public static Map<String, String> labels(String instance, int sessionId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(GATEWAY_LABEL, instance);
        labels.put(SESSION_LABEL, String.valueOf(sessionId));
        return labels;
    }

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        Map<String, String> conf = new LinkedHashMap<>();
        labels(instance, session.sessionId()).forEach((k, v) -> conf.put("spark.kubernetes.executor.label." + k, v));
        return conf;
    }
}
