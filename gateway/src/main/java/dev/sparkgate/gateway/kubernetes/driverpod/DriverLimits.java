package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverMemory;

import java.util.Map;

/**
 * The most one session may ask for its driver pod ({@code SPARKGATE_DRIVER_MAX_MEMORY}, e.g. {@code 8g};
 * {@code SPARKGATE_DRIVER_MAX_CORES}, e.g. {@code 4}); unset, no limit but the cluster's. A request that cannot be read
 * or asks for more is refused before anything is created, naming the limit.
 *
 * @param maxMemoryMiB the largest heap, or 0 for none
 * @param maxCores     the most cores, or 0 for none
 */
public record DriverLimits(long maxMemoryMiB, double maxCores) {

    public static DriverLimits fromEnvironment(Map<String, String> env) {
        String memory = env.get("SPARKGATE_DRIVER_MAX_MEMORY");
        String cores = env.get("SPARKGATE_DRIVER_MAX_CORES");
        try {
            return new DriverLimits(memory == null || memory.isBlank() ? 0 : DriverMemory.mebibytes(memory,
                    "SPARKGATE_DRIVER_MAX_MEMORY"), cores == null || cores.isBlank() ? 0 : Double.parseDouble(cores.trim()));
        } catch (BadRequest | NumberFormatException e) {
            throw new IllegalArgumentException("SPARKGATE_DRIVER_MAX_MEMORY must be a size (8g) and "
                    + "SPARKGATE_DRIVER_MAX_CORES a number (4): " + e.getMessage());
        }
    }

    /** Refuses a driver the session may not have; {@code defaultHeap} is the heap when it does not say. */
    public void check(Map<String, String> conf, String defaultHeap) {
        String heap = conf.getOrDefault("spark.driver.memory", defaultHeap);
        long heapMiB = DriverMemory.mebibytes(heap, "driverMemory (spark.driver.memory)");
        if (heapMiB == 0) {
            throw new BadRequest("driverMemory is '" + heap + "': a driver needs memory; ask for e.g. 1g.");
        }
        if (maxMemoryMiB > 0 && heapMiB > maxMemoryMiB) {
            throw new BadRequest("driverMemory is " + heap + ", more than this gateway's limit of " + maxMemoryMiB
                    + " MiB (SPARKGATE_DRIVER_MAX_MEMORY): ask for " + maxMemoryMiB + "m or less.");
        }
        String cores = conf.get("spark.driver.cores");
        if (cores != null) {
            double n;
            try {
                n = Double.parseDouble(cores.trim());
            } catch (NumberFormatException e) {
                throw new BadRequest("driverCores is '" + cores + "', which is not a number: ask for e.g. 1.");
            }
            if (n <= 0 || n != Math.floor(n)) {
                throw new BadRequest("driverCores is " + cores + ": Spark needs a whole number of cores, 1 or more.");
            }
            if (maxCores > 0 && n > maxCores) {
                throw new BadRequest("driverCores is " + cores + ", more than this gateway's limit of "
                        + (long) maxCores + " (SPARKGATE_DRIVER_MAX_CORES): ask for " + (long) maxCores + " or fewer.");
            }
        }
    }
}
