package dev.sparkgate.gateway.kubernetes.steps;

import java.util.Map;

/** Executor pod names that say whose they are: {@code sg-<gateway instance>-s<session>-exec-N}, valid DNS labels. */
public record ExecutorNamesStep(String instance) implements ExecutorConfStep {

    private static final int MAX_INSTANCE_CHARS = 24;

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        return Map.of("spark.kubernetes.executor.podNamePrefix", prefix(instance, session.sessionId()));
    }

    /** {@code sg-<gateway instance>-s<session>}: the start of every name of the session's pods (driver pod too). */
    public static String prefix(String instance, int sessionId) {
        String name = instance.toLowerCase().replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (name.length() > MAX_INSTANCE_CHARS) {
            name = name.substring(0, MAX_INSTANCE_CHARS).replaceAll("-+$", "");
        }
        return "sg-" + name + "-s" + sessionId;
    }
}
