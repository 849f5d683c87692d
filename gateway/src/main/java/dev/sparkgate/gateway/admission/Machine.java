package dev.sparkgate.gateway.admission;

import java.lang.management.ManagementFactory;

/**
 * The machine the gateway runs on, as the embedded default's limits are sized from it: its cores and its memory
 * (in a container, the container's limits, which the JVM reports).
 */
public record Machine(int cores, long memoryMiB) {

    public static Machine current() {
        long bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return new Machine(Runtime.getRuntime().availableProcessors(), bytes >> 20);
    }
}
