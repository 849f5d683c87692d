package dev.sparkgate.gateway.kubernetes.steps;

import dev.sparkgate.gateway.errors.BadRequest;

import java.util.Map;

/** The image executors run: the session's own choice, else the operator's default; a session needs one. */
public record ExecutorImageStep() implements ExecutorConfStep {

    static final String CONF = "spark.kubernetes.container.image";

    /** The image a session with {@code conf} runs its executors on; refused when neither side names one. */
    public static String imageFor(Map<String, String> conf, String defaultImage) {
        String image = conf.getOrDefault(CONF, defaultImage);
        if (image == null || image.isBlank()) {
            throw new BadRequest("No executor image: set conf '" + CONF + "' on the session, "
                    + "or ask the operator for a default (SPARKGATE_EXECUTOR_IMAGE).");
        }
        return image;
    }

    @Override
    public Map<String, String> sparkConf(ClusterSession session) {
        return Map.of(CONF, session.image());
    }
}
