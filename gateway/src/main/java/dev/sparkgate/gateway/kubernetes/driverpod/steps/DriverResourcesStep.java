package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the driver pod asks the scheduler for: memory = heap + Spark's overhead ({@link DriverMemory}), requested and
 * limited alike (so a driver that outgrows it is OOM-killed, which the session then says); CPU = driverCores
 * ({@code spark.driver.cores}, 1 by default) unless {@code spark.kubernetes.driver.request.cores} says otherwise, and
 * a CPU limit only where {@code spark.kubernetes.driver.limit.cores} sets one, as Spark does.
 */
public record DriverResourcesStep() implements DriverPodStep {

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        DriverMemory memory = DriverMemory.of(session.conf("spark.driver.memory", DriverCommandStep.DEFAULT_HEAP),
                session.conf("spark.driver.memoryOverhead", null),
                session.conf("spark.driver.memoryOverheadFactor", null));
        Quantity podMemory = new Quantity(memory.podMiB() + "Mi");
        String cpu = session.conf("spark.kubernetes.driver.request.cores", session.conf("spark.driver.cores", "1"));
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put("cpu", new Quantity(cpu));
        requests.put("memory", podMemory);
        Map<String, Quantity> limits = new LinkedHashMap<>();
        String cpuLimit = session.conf("spark.kubernetes.driver.limit.cores", null);
        if (cpuLimit != null) {
            limits.put("cpu", new Quantity(cpuLimit));
        }
        limits.put("memory", podMemory);
        return DriverPods.withDriver(pod, c -> c.withNewResources().withRequests(requests).withLimits(limits).endResources());
    }
}
