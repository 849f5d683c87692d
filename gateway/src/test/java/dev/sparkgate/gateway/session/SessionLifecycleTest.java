package dev.sparkgate.gateway.session;

import dev.sparkgate.protocol.SessionState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A session's states follow one table: late or stray reports never revive or reshape a session. */
class SessionLifecycleTest {

    @Test
    void anAcceptedSessionWaitsNotStartedUntilItsDriverIsLaunched() {
        SessionLifecycle lifecycle = new SessionLifecycle();
        assertThat(lifecycle.state()).isEqualTo(SessionState.not_started);

        assertThat(lifecycle.driverReady(false)).as("no driver was launched").isFalse();
        assertThat(lifecycle.failedToStart()).isFalse();
        assertThat(lifecycle.driverExited()).isFalse();
        assertThat(lifecycle.workChanged(true)).isFalse();
        assertThat(lifecycle.state()).isEqualTo(SessionState.not_started);

        assertThat(lifecycle.launching()).isTrue();
        assertThat(lifecycle.state()).isEqualTo(SessionState.starting);
        assertThat(lifecycle.launching()).as("launched once").isFalse();
    }

    @Test
    void aSessionDeletedWhileWaitingIsKilledAndNeverLaunched() {
        SessionLifecycle lifecycle = new SessionLifecycle();

        assertThat(lifecycle.shutdownBegun()).isTrue();
        assertThat(lifecycle.launching()).isFalse();
        assertThat(lifecycle.shutdownFinished()).isTrue();

        assertThat(lifecycle.state()).isEqualTo(SessionState.killed);
    }

    @Test
    void aSessionStartsThenIsIdleOrBusyWithItsWork() {
        SessionLifecycle lifecycle = launched();
        assertThat(lifecycle.state()).isEqualTo(SessionState.starting);

        assertThat(lifecycle.driverReady(false)).isTrue();
        assertThat(lifecycle.state()).isEqualTo(SessionState.idle);

        assertThat(lifecycle.workChanged(true)).isTrue();
        assertThat(lifecycle.state()).isEqualTo(SessionState.busy);
        assertThat(lifecycle.workChanged(true)).as("no change, nothing to tell").isFalse();
        assertThat(lifecycle.workChanged(false)).isTrue();
        assertThat(lifecycle.state()).isEqualTo(SessionState.idle);
    }

    @Test
    void aRecoveringSessionIsIdleOrBusyWhenItsDriverIsBackAndDeadWhenItIsNot() {
        SessionLifecycle back = SessionLifecycle.recovering();
        SessionLifecycle lost = SessionLifecycle.recovering();
        assertThat(back.state()).isEqualTo(SessionState.recovering);

        assertThat(back.workChanged(false)).as("work waits for the driver").isFalse();
        assertThat(back.driverReady(true)).isTrue();
        assertThat(lost.driverLost()).isTrue();

        assertThat(back.state()).isEqualTo(SessionState.busy);
        assertThat(back.driverLost()).as("only while recovering").isFalse();
        assertThat(lost.state()).isEqualTo(SessionState.dead);
        assertThat(lost.driverReady(false)).as("a driver too late revives nothing").isFalse();
    }

    @Test
    void workDoesNotMoveASessionThatHasNotStarted() {
        SessionLifecycle lifecycle = launched();

        assertThat(lifecycle.workChanged(true)).isFalse();

        assertThat(lifecycle.state()).isEqualTo(SessionState.starting);
    }

    @Test
    void aDriverExitWhileStartingIsAnErrorAndAfterwardsDeath() {
        SessionLifecycle starting = launched();
        SessionLifecycle running = launched();
        running.driverReady(false);

        assertThat(starting.driverExited()).isTrue();
        assertThat(running.driverExited()).isTrue();

        assertThat(starting.state()).isEqualTo(SessionState.error);
        assertThat(running.state()).isEqualTo(SessionState.dead);
    }

    @Test
    void anEndedSessionStaysEndedWhateverIsReportedLate() {
        SessionLifecycle lifecycle = launched();
        lifecycle.failedToStart();

        assertThat(lifecycle.driverReady(false)).isFalse();
        assertThat(lifecycle.driverExited()).isFalse();
        assertThat(lifecycle.shutdownBegun()).as("a delete leaves the cause of the end").isFalse();
        assertThat(lifecycle.shutdownFinished()).isFalse();

        assertThat(lifecycle.state()).isEqualTo(SessionState.error);
    }

    @Test
    void onlyAStartingSessionFailsToStart() {
        SessionLifecycle lifecycle = launched();
        lifecycle.driverReady(false);

        assertThat(lifecycle.failedToStart()).isFalse();

        assertThat(lifecycle.state()).isEqualTo(SessionState.idle);
    }

    @Test
    void aDeletedSessionShutsDownThenIsKilledAndItsDriverExitIsNoDeath() {
        SessionLifecycle lifecycle = launched();
        lifecycle.driverReady(true);

        assertThat(lifecycle.shutdownBegun()).isTrue();
        assertThat(lifecycle.state()).isEqualTo(SessionState.shutting_down);
        assertThat(lifecycle.driverExited()).isFalse();
        assertThat(lifecycle.workChanged(false)).isFalse();
        assertThat(lifecycle.shutdownFinished()).isTrue();

        assertThat(lifecycle.state()).isEqualTo(SessionState.killed);
    }

    @Test
    void aSessionDeletedWhileStartingIsKilledNotFailed() {
        SessionLifecycle lifecycle = launched();
        lifecycle.shutdownBegun();

        assertThat(lifecycle.failedToStart()).isFalse();
        assertThat(lifecycle.shutdownFinished()).isTrue();

        assertThat(lifecycle.state()).isEqualTo(SessionState.killed);
    }

    /** A session whose driver is being launched: where every other story begins. */
    private static SessionLifecycle launched() {
        SessionLifecycle lifecycle = new SessionLifecycle();
        lifecycle.launching();
        return lifecycle;
    }
}
