package dev.sparkgate.gateway.health;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness is every named check passing; a failing one says what is wrong, and is asked again each time. */
class ReadinessTest {

    @Test
    void eachCheckIsAskedAtEveryProbeAndSaysWhatIsWrong() {
        AtomicReference<Optional<String>> cluster = new AtomicReference<>(Optional.of("the Kubernetes API at "
                + "https://10.0.0.1 is not reachable: connect timed out"));
        Readiness readiness = new Readiness().check("recovery", Readiness.recoveryDone()).check("kubernetes", cluster::get);

        assertThat(readiness.results()).containsEntry("recovery", "ok")
                .containsEntry("kubernetes", "the Kubernetes API at https://10.0.0.1 is not reachable: connect timed out");

        cluster.set(Optional.empty());

        assertThat(readiness.results()).containsOnly(
                java.util.Map.entry("recovery", "ok"), java.util.Map.entry("kubernetes", "ok"));
    }

    @Test
    void recoveryIsInProgressWhileSessionsWaitForTheirDrivers() {
        java.util.concurrent.atomic.AtomicLong waiting = new java.util.concurrent.atomic.AtomicLong(2);
        Readiness readiness = new Readiness().check("recovery", Readiness.recovering(waiting::get));

        assertThat(readiness.results().get("recovery")).isEqualTo("recovering: 2 sessions wait for their drivers to "
                + "dial back after a restart");

        waiting.set(0);

        assertThat(readiness.results()).containsEntry("recovery", "ok");
    }
}
