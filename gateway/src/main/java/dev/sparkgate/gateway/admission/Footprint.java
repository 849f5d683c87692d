package dev.sparkgate.gateway.admission;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.placement.SparkSize;

import java.util.Map;

/**
 * What sessions hold, as admission counts it: how many, their executors, their drivers' heaps. One session's footprint
 * is read from its Spark confs when it is created, so a user's or the gateway's use is the sum over the sessions
 * that still hold something, whether their drivers are up yet or not.
 *
 * @param sessions        sessions
 * @param executors       executors asked for: {@code spark.executor.instances} (Livy's {@code numExecutors}); with
 *                        dynamic allocation its {@code maxExecutors}; on Kubernetes Spark's default of 2 when neither
 *                        is set; none where executors run inside the driver ({@code local[*]})
 * @param driverMemoryMiB the drivers' heaps ({@code spark.driver.memory}, Livy's {@code driverMemory}, else the
 *                        gateway's default)
 */
public record Footprint(int sessions, long executors, long driverMemoryMiB) {

    public static final Footprint NONE = new Footprint(0, 0, 0);
    /** Spark's {@code spark.executor.instances} default on Kubernetes without dynamic allocation. */
    static final int SPARK_DEFAULT_EXECUTORS = 2;

    /** One session with {@code conf} (after placement: its master is known); {@code defaultHeap} when it sets none. */
    public static Footprint ofSession(Map<String, String> conf, String defaultHeap) {
        long heap = SparkSize.mebibytes(conf.getOrDefault("spark.driver.memory", defaultHeap),
                "driverMemory (spark.driver.memory)");
        return new Footprint(1, executors(conf), heap);
    }

    private static long executors(Map<String, String> conf) {
        if (Boolean.parseBoolean(conf.getOrDefault("spark.dynamicAllocation.enabled", "false"))) {
            // Unbounded unless it says: Spark's own default for maxExecutors is Integer.MAX_VALUE.
            return count(conf, "spark.dynamicAllocation.maxExecutors", Integer.MAX_VALUE);
        }
        if (conf.containsKey("spark.executor.instances")) {
            return count(conf, "spark.executor.instances", 0);
        }
        return conf.getOrDefault("spark.master", "").startsWith("k8s://") ? SPARK_DEFAULT_EXECUTORS : 0;
    }

    private static long count(Map<String, String> conf, String key, long otherwise) {
        String text = conf.get(key);
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new BadRequest(key + " is '" + text + "': give a whole number of executors, 0 or more.");
    }

    public Footprint plus(Footprint other) {
        return new Footprint(sessions + other.sessions, executors + other.executors,
                driverMemoryMiB + other.driverMemoryMiB);
    }
}
