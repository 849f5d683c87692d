package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import dev.sparkgate.gateway.kubernetes.steps.ExecutorLabelsStep;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels that make a driver pod this gateway's session's (by them the gateway watches it, and reaps what no
 * session owns), Spark's {@code spark-role=driver}, and the user's own labels and annotations
 * ({@code spark.kubernetes.driver.label.*}, {@code spark.kubernetes.driver.annotation.*}), which never override ours.
 * The session's owner is a label ({@value #OWNER_LABEL}, made a valid label value: an operator selects a user's pods
 * by it) and, exactly as the gateway knows it, an annotation of the same name.
 *
 * @param instance this gateway's name on its pods
 */
public record DriverLabelsStep(String instance) implements DriverPodStep {

    public static final String ROLE_LABEL = "spark-role";
    public static final String OWNER_LABEL = "sparkgate.dev/owner";
    private static final int MAX_LABEL_VALUE = 63;

    /** The labels of session {@code sessionId}'s driver pod of gateway {@code instance}. */
    public static Map<String, String> labels(String instance, int sessionId) {
        Map<String, String> labels = new LinkedHashMap<>(ExecutorLabelsStep.labels(instance, sessionId));
        labels.put(ROLE_LABEL, "driver");
        return labels;
    }

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        Map<String, String> labels = new LinkedHashMap<>(session.confsUnder("spark.kubernetes.driver.label."));
        labels.putAll(labels(instance, session.sessionId()));
        Map<String, String> annotations = new LinkedHashMap<>(session.confsUnder("spark.kubernetes.driver.annotation."));
        if (session.owner() != null && !session.owner().isBlank()) {
            labels.put(OWNER_LABEL, labelValue(session.owner()));
            annotations.put(OWNER_LABEL, session.owner());
        }
        return new PodBuilder(pod).editMetadata().addToLabels(labels).addToAnnotations(annotations).endMetadata().build();
    }

    /**
     * {@code text} as a label value Kubernetes accepts: at most 63 of {@code [A-Za-z0-9_.-]}, beginning and ending with
     * a letter or digit; every other character becomes {@code _} ({@code ada@example.com} is {@code ada_example.com}).
     */
    public static String labelValue(String text) {
        String value = text.replaceAll("[^A-Za-z0-9_.-]", "_");
        value = value.length() > MAX_LABEL_VALUE ? value.substring(0, MAX_LABEL_VALUE) : value;
        return value.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    }
}
