package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.placement.SparkSize;


/**
 * A driver's memory as Spark reads it: {@code spark.driver.memory} is the heap ({@code 512m}, {@code 2g}; a bare
 * number is MiB), and the pod needs the heap plus Spark's overhead for everything off the heap:
 * {@code spark.driver.memoryOverhead} if set, else {@code max(384 MiB, spark.driver.memoryOverheadFactor (0.1) × heap)},
 * as Spark's own {@code BasicDriverFeatureStep} computes it.
 */
public record DriverMemory(long heapMiB, long overheadMiB) {

    /** Spark's {@code MEMORY_OVERHEAD_MIN_MIB}. */
    public static final long MIN_OVERHEAD_MIB = 384;
    public static final double DEFAULT_OVERHEAD_FACTOR = 0.1;

    public static DriverMemory of(String heap, String overhead, String factor) {
        long heapMiB = mebibytes(heap, "spark.driver.memory (driverMemory)");
        long overheadMiB;
        if (overhead != null && !overhead.isBlank()) {
            overheadMiB = mebibytes(overhead, "spark.driver.memoryOverhead");
        } else {
            double f = factor(factor);
            overheadMiB = Math.max((long) (f * heapMiB), MIN_OVERHEAD_MIB);
        }
        return new DriverMemory(heapMiB, overheadMiB);
    }

    /** What the pod requests and is limited to. */
    public long podMiB() {
        return heapMiB + overheadMiB;
    }

    /** A size as Spark writes it, in MiB; a bare number is MiB. Refuses what Spark would not read, naming the conf. */
    public static long mebibytes(String text, String conf) {
        return SparkSize.mebibytes(text, conf);
    }

    private static double factor(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_OVERHEAD_FACTOR;
        }
        try {
            double f = Double.parseDouble(text.trim());
            if (f > 0) {
                return f;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new BadRequest("spark.driver.memoryOverheadFactor is '" + text + "': write a fraction above 0, e.g. 0.1.");
    }
}
