package dev.sparkgate.gateway.kubernetes.driverpod;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What Kubernetes reports of a driver pod, told as the session's cause, in words the user can act on. */
class DriverPodFailureTest {

    private static Pod pod(String phase) {
        return new PodBuilder().withNewMetadata().withName("sg-gw-s1-driver").endMetadata()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    private static Pod withContainer(String phase, ContainerStatus container) {
        return new PodBuilder(pod(phase)).editStatus().addToContainerStatuses(container).endStatus().build();
    }

    private static ContainerStatusBuilder driver() {
        return new ContainerStatusBuilder().withName("spark-kubernetes-driver").withImage("team/spark:3.5.6");
    }

    @Test
    void aPodOnItsWayHasNoFailure() {
        assertThat(DriverPodFailure.of(pod("Pending"))).isEmpty();
        assertThat(DriverPodFailure.of(withContainer("Running", driver().withNewState().withNewRunning().endRunning()
                .endState().build()))).isEmpty();
        assertThat(DriverPodFailure.state(pod("Running"))).isEqualTo("Running");
    }

    @Test
    void anImageThatCannotBePulledNamesTheImageAndTheFix() {
        Pod pod = withContainer("Pending", driver().withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image").endWaiting().endState().build());

        assertThat(DriverPodFailure.of(pod)).hasValueSatisfying(failure -> assertThat(failure.cause())
                .contains("team/spark:3.5.6", "ImagePullBackOff", "pullSecrets"));
        assertThat(DriverPodFailure.state(pod)).isEqualTo("ImagePullBackOff");
    }

    @Test
    void anUnschedulablePodTellsTheSchedulersReason() {
        Pod pod = new PodBuilder(pod("Pending")).editStatus().addToConditions(new PodConditionBuilder()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/1 nodes are available: 1 Insufficient memory").build()).endStatus().build();

        assertThat(DriverPodFailure.of(pod)).hasValueSatisfying(failure -> assertThat(failure.cause())
                .contains("Insufficient memory", "driverMemory"));
    }

    @Test
    void anOomKilledDriverSaysToRaiseDriverMemory() {
        Pod pod = withContainer("Failed", driver().withNewState().withNewTerminated().withReason("OOMKilled")
                .withExitCode(137).endTerminated().endState().build());

        assertThat(DriverPodFailure.of(pod)).hasValueSatisfying(failure -> {
            assertThat(failure.cause()).contains("the driver ran out of memory", "raise driverMemory");
            assertThat(failure.exitCode()).isEqualTo(137);
        });
        assertThat(DriverPodFailure.state(pod)).isEqualTo("OOMKilled");
    }

    @Test
    void anEvictionAndANonZeroExitAreFailuresButAnInitContainersSuccessIsNot() {
        Pod evicted = new PodBuilder(pod("Failed")).editStatus().withReason("Evicted")
                .withMessage("The node was low on resource: memory.").endStatus().build();
        Pod exited = withContainer("Failed", driver().withNewState().withNewTerminated().withReason("Error")
                .withExitCode(2).endTerminated().endState().build());
        Pod initialised = new PodBuilder(pod("Pending")).editStatus().addToInitContainerStatuses(new ContainerStatusBuilder()
                .withName("sparkgate-runtime").withNewState().withNewTerminated().withExitCode(0).withReason("Completed")
                .endTerminated().endState().build()).endStatus().build();

        assertThat(DriverPodFailure.of(evicted)).hasValueSatisfying(f -> assertThat(f.cause()).contains("evicted", "low on"));
        assertThat(DriverPodFailure.of(exited)).hasValueSatisfying(f -> assertThat(f.exitCode()).isEqualTo(2));
        assertThat(DriverPodFailure.of(initialised)).isEmpty();
    }
}
