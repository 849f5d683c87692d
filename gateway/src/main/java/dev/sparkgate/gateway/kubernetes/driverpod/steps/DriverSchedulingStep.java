package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the scheduler may put the driver: Spark's node selectors, {@code spark.kubernetes.node.selector.*} (driver
 * and executors) and then {@code spark.kubernetes.driver.node.selector.*} (the driver only, winning on a clash), and
 * the driver's scheduler name ({@code spark.kubernetes.scheduler.name}), as Spark applies them to its driver pod.
 */
public record DriverSchedulingStep() implements DriverPodStep {

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        Map<String, String> selector = new LinkedHashMap<>(session.confsUnder("spark.kubernetes.node.selector."));
        selector.putAll(session.confsUnder("spark.kubernetes.driver.node.selector."));
        PodBuilder builder = new PodBuilder(pod);
        if (!selector.isEmpty()) {
            builder.editSpec().addToNodeSelector(selector).endSpec();
        }
        String scheduler = session.conf("spark.kubernetes.driver.scheduler.name",
                session.conf("spark.kubernetes.scheduler.name", null));
        if (scheduler != null) {
            builder.editSpec().withSchedulerName(scheduler).endSpec();
        }
        return builder.build();
    }
}
