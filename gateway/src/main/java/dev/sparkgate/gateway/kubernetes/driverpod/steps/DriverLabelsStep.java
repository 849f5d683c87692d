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
 *
 * @param instance this gateway's name on its pods
 */
public record DriverLabelsStep(String instance) implements DriverPodStep {

    public static final String ROLE_LABEL = "spark-role";

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
        Map<String, String> annotations = session.confsUnder("spark.kubernetes.driver.annotation.");
        return new PodBuilder(pod).editMetadata().addToLabels(labels).addToAnnotations(annotations).endMetadata().build();
    }
}
