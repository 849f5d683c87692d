package dev.sparkgate.driver;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a driver's start went, phase by phase, from the JVM's own start time (so the JVM's start and class loading
 * before {@code main} show too): one line in the driver's log when it reports ready, to find what makes a cold start
 * slow without a profiler.
 */
final class StartPhases {

    private final long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final List<String> phases = new ArrayList<>();
    private long last = jvmStart;

    /** Marks the end of {@code phase}: the time since the previous mark. */
    synchronized void done(String phase) {
        long now = System.currentTimeMillis();
        phases.add(phase + " " + (now - last) + " ms");
        last = now;
    }

    /** Notes {@code phase}, which took {@code millis} on a thread of its own beside the others: no mark moves. */
    synchronized void alongside(String phase, long millis) {
        phases.add(phase + " " + millis + " ms");
    }

    /** {@code JVM start to main 310 ms, link 40 ms, ...; 2540 ms since the JVM started}. */
    synchronized String summary() {
        return String.join(", ", phases) + "; " + (last - jvmStart) + " ms since the JVM started";
    }
}
