package dev.sparkgate.gateway.admission;

import dev.sparkgate.gateway.errors.OverCapacity;
import dev.sparkgate.gateway.errors.OverUserLimit;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A fair share: a user's limits and the gateway's, each refusal naming the limit and what is in use. */
class AdmissionLimitsTest {

    private static final Footprint ONE = new Footprint(1, 2, 1024);

    @Test
    void aUserAtTheSessionLimitIsRefusedNamingItAndWhatTheyHold() {
        AdmissionLimits limits = limits(Map.of("SPARKGATE_USER_MAX_SESSIONS", "23"));

        assertThatCode(() -> limits.check("alice", ONE, new Footprint(22, 0, 0), Footprint.NONE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.check("alice", ONE, new Footprint(23, 0, 0), Footprint.NONE))
                .isInstanceOf(OverUserLimit.class)
                .hasMessageContaining("User 'alice' has 23 sessions")
                .hasMessageContaining("SPARKGATE_USER_MAX_SESSIONS=23")
                .hasMessageContaining("delete one of them");
    }

    @Test
    void aUsersExecutorsAndDriverMemoryAreLimitedTogether() {
        AdmissionLimits limits = limits(Map.of("SPARKGATE_USER_MAX_EXECUTORS", "4",
                "SPARKGATE_USER_MAX_DRIVER_MEMORY", "2g"));

        assertThatCode(() -> limits.check("bob", ONE, new Footprint(1, 2, 1024), Footprint.NONE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.check("bob", ONE, new Footprint(1, 3, 0), Footprint.NONE))
                .isInstanceOf(OverUserLimit.class)
                .hasMessageContaining("may have 4 executors at once (SPARKGATE_USER_MAX_EXECUTORS); their sessions "
                        + "have 3 and this one asks for 2: ask for 1 or fewer");
        assertThatThrownBy(() -> limits.check("bob", ONE, new Footprint(1, 0, 1536), Footprint.NONE))
                .isInstanceOf(OverUserLimit.class)
                .hasMessageContaining("2048 MiB of driver memory at once (SPARKGATE_USER_MAX_DRIVER_MEMORY); their "
                        + "sessions have 1536 MiB and this one asks for 1024 MiB");
    }

    @Test
    void unboundedDynamicAllocationIsRefusedWhereExecutorsAreLimited() {
        AdmissionLimits limits = limits(Map.of("SPARKGATE_USER_MAX_EXECUTORS", "8"));

        assertThatThrownBy(() -> limits.check("bob", new Footprint(1, Integer.MAX_VALUE, 1024), Footprint.NONE,
                Footprint.NONE)).isInstanceOf(OverUserLimit.class)
                .hasMessageContaining("no spark.dynamicAllocation.maxExecutors").hasMessageContaining("ask for 8 or fewer");
    }

    @Test
    void theGatewaysCapacityIsA503WithRetryAfterWhoeverAsks() {
        AdmissionLimits limits = limits(Map.of("SPARKGATE_MAX_SESSIONS", "4",
                "SPARKGATE_MAX_DRIVER_MEMORY_TOTAL", "3g"));

        assertThatThrownBy(() -> limits.check("carol", ONE, Footprint.NONE, new Footprint(4, 0, 0)))
                .isInstanceOfSatisfying(OverCapacity.class, e -> assertThat(e.retryAfterSeconds()).isPositive())
                .hasMessageContaining("holds 4 sessions, the most it takes (SPARKGATE_MAX_SESSIONS=4)");
        assertThatThrownBy(() -> limits.check("carol", ONE, Footprint.NONE, new Footprint(2, 0, 2560)))
                .isInstanceOf(OverCapacity.class)
                .hasMessageContaining("have 2560 MiB of heap together, and this session asks for 1024 MiB more than "
                        + "the 3072 MiB");
    }

    @Test
    void startingIsLimitedToSlotsNotRefused() {
        AdmissionLimits limits = limits(Map.of("SPARKGATE_MAX_STARTING", "4"));

        assertThat(limits.mayStart(3)).isTrue();
        assertThat(limits.mayStart(4)).isFalse();
        assertThat(limits(Map.of("SPARKGATE_MAX_STARTING", "0")).mayStart(1000)).as("0: no limit").isTrue();
    }

    @Test
    void theEmbeddedDefaultFitsTheMachineAndLeavesUsersUnlimited() {
        // 2 cores and 24 GiB: (24576 - 1024) / 460 idle drivers, 2 starting at once, heaps within 23 GiB.
        AdmissionLimits local = AdmissionLimits.fromEnvironment(Map.of(), true, new Machine(2, 24576), "1g");

        assertThat(local.sessions()).isEqualTo(51);
        assertThat(local.maxStarting()).isEqualTo(2);
        assertThat(local.driverMemoryMiB()).isEqualTo(23552);
        assertThat(local.userSessions()).isZero();
        assertThat(local.userExecutors()).isZero();
        assertThat(local.userDriverMemoryMiB()).isZero();
    }

    @Test
    void withDriversInPodsTheClusterIsTheCapacityUnlessTheOperatorSetsOne() {
        AdmissionLimits pods = AdmissionLimits.fromEnvironment(Map.of("SPARKGATE_MAX_STARTING", "8"), false,
                new Machine(2, 4096), "1g");

        assertThat(pods.sessions()).isZero();
        assertThat(pods.maxStarting()).isEqualTo(8);
        assertThat(pods.driverMemoryMiB()).as("the gateway's machine holds no driver").isZero();
    }

    @Test
    void aLimitThatCannotBeReadStopsTheGatewayNamingTheSetting() {
        assertThatThrownBy(() -> limits(Map.of("SPARKGATE_MAX_SESSIONS", "lots")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SPARKGATE_MAX_SESSIONS is 'lots'");
        assertThatThrownBy(() -> limits(Map.of("SPARKGATE_USER_MAX_DRIVER_MEMORY", "much")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SPARKGATE_USER_MAX_DRIVER_MEMORY is 'much'");
    }

    /** Limits from {@code env} alone: every limit not named there is off. */
    private static AdmissionLimits limits(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("SPARKGATE_MAX_SESSIONS", "0",
                "SPARKGATE_MAX_STARTING", "0", "SPARKGATE_MAX_DRIVER_MEMORY_TOTAL", "0"));
        all.putAll(env);
        return AdmissionLimits.fromEnvironment(all, true, new Machine(2, 24576), "1g");
    }
}
