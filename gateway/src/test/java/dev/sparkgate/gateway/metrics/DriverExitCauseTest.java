package dev.sparkgate.gateway.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A driver's exit, from its code and last output, as one of a few causes an operator can chart. */
class DriverExitCauseTest {

    @Test
    void exitsAreClassifiedByCodeAndLastOutput() {
        assertThat(DriverExitCause.ofExit(0, List.of())).isEqualTo(DriverExitCause.exited);
        assertThat(DriverExitCause.ofExit(1, List.of("Exception in thread main"))).isEqualTo(DriverExitCause.failed);
        assertThat(DriverExitCause.ofExit(137, List.of())).isEqualTo(DriverExitCause.killed);
        assertThat(DriverExitCause.ofExit(143, List.of())).isEqualTo(DriverExitCause.killed);
        assertThat(DriverExitCause.ofExit(1, List.of("java.lang.OutOfMemoryError: Java heap space")))
                .as("an OOM wins over the code it exited with").isEqualTo(DriverExitCause.oom);
    }
}
