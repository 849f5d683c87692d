package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;

/**
 * What the driver container runs: the image's Java with the copied runtime ahead of the image's own Spark
 * ({@code $SPARK_HOME/jars}), so the driver runs exactly the Spark its executors run. A shell resolves the image's
 * {@code JAVA_HOME} and {@code SPARK_HOME}, which only the image knows; {@code exec} makes the JVM the container's
 * main process, so its exit code (and an OOM kill) is the container's.
 *
 * @param jvmOptions Spark's Java 17 module openings, as local drivers get them
 * @param mainClass  the driver program
 */
public record DriverCommandStep(List<String> jvmOptions, String mainClass) implements DriverPodStep {

    /** The heap when the session does not set {@code spark.driver.memory}; Spark's own default. */
    public static final String DEFAULT_HEAP = "1g";

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        String runtime = RuntimeCopyStep.RUNTIME_DIR;
        String script = "exec \"${JAVA_HOME:+$JAVA_HOME/bin/}java\" " + String.join(" ", jvmOptions)
                + " -Xmx" + session.conf("spark.driver.memory", DEFAULT_HEAP)
                + " -cp \"" + runtime + "/sparkgate-driver.jar:" + runtime + "/lib/*:${SPARK_HOME:-/opt/spark}/jars/*\" "
                + mainClass;
        return DriverPods.withDriver(pod, c -> c.withCommand("/bin/sh", "-c", script).withArgs(List.of()));
    }
}
