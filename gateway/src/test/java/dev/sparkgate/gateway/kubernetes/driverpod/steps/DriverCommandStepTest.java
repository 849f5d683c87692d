package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriverCommandStepTest {

    private final DriverCommandStep step = new DriverCommandStep(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED"),
            "dev.sparkgate.driver.SessionDriver");

    @Test
    void theDriverIsTheImagesJavaWithTheCopiedRuntimeBeforeTheImagesSparkJars() {
        Pod pod = PodSessions.apply(step, PodSessions.with(Map.of("spark.driver.memory", "2g")));

        List<String> command = PodSessions.driver(pod).getCommand();
        assertThat(command).hasSize(3).startsWith("/bin/sh", "-c");
        assertThat(command.get(2))
                .startsWith("exec \"${JAVA_HOME:+$JAVA_HOME/bin/}java\" --add-opens=java.base/java.lang=ALL-UNNAMED -Xmx2g ")
                .contains("-cp \"/opt/sparkgate-runtime/sparkgate-driver.jar:/opt/sparkgate-runtime/lib/*:"
                        + "${SPARK_HOME:-/opt/spark}/jars/*\"")
                .endsWith(" dev.sparkgate.driver.SessionDriver");
        assertThat(pod.getSpec().getRestartPolicy()).as("a driver is never restarted").isEqualTo("Never");
    }

    @Test
    void withoutDriverMemoryTheHeapIsSparksDefault() {
        Pod pod = PodSessions.apply(step, PodSessions.one());

        assertThat(PodSessions.driver(pod).getCommand().get(2)).contains(" -Xmx1g ");
    }
}
