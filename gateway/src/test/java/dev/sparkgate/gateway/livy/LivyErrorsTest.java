package dev.sparkgate.gateway.livy;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.errors.ConfNotAllowed;
import dev.sparkgate.gateway.errors.DriverGone;
import dev.sparkgate.gateway.errors.NameTaken;
import dev.sparkgate.gateway.errors.NamespaceNotReady;
import dev.sparkgate.gateway.errors.NoAnswer;
import dev.sparkgate.gateway.errors.NotPermitted;
import dev.sparkgate.gateway.errors.OverCapacity;
import dev.sparkgate.gateway.errors.OverUserLimit;
import dev.sparkgate.gateway.errors.PayloadTooLarge;
import dev.sparkgate.gateway.errors.SessionEnded;
import dev.sparkgate.gateway.errors.SessionNotActive;
import dev.sparkgate.gateway.errors.SessionNotFound;
import dev.sparkgate.gateway.errors.StatementNotFound;
import dev.sparkgate.gateway.errors.Unavailable;
import dev.sparkgate.protocol.SessionState;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Livy's statuses and phrases, which sparkmagic and Zeppelin's Livy interpreter act on. */
class LivyErrorsTest {

    @Test
    void aDeadSessionIsA500SayingItsStateAsZeppelinRecognisesIt() {
        SessionEnded dead = new SessionEnded(SessionState.dead, "sparkgate: the driver process exited with code 137.");

        assertThat(LivyErrors.status(dead)).isEqualTo(500);
        assertThat(dead.getMessage()).startsWith("Session is in state dead: sparkgate: the driver process exited")
                .endsWith("Create a new session to go on.");
    }

    @Test
    void aStartingSessionIsA400SayingItIsNotActive() {
        SessionNotActive starting = new SessionNotActive(SessionState.starting);

        assertThat(LivyErrors.status(starting)).isEqualTo(400);
        assertThat(starting.getMessage()).startsWith("Session isn't active: it is starting.");
    }

    @Test
    void aSessionThatIsGoneIsA404WithLivysText() {
        assertThat(LivyErrors.status(new SessionNotFound("9"))).isEqualTo(404);
        assertThat(new SessionNotFound("9").getMessage()).isEqualTo("Session '9' not found.");
        assertThat(LivyErrors.status(new StatementNotFound(1, "abc"))).isEqualTo(404);
    }

    @Test
    void everyOtherRefusalHasItsOwnStatus() {
        assertThat(LivyErrors.status(new BadRequest("x"))).isEqualTo(400);
        assertThat(LivyErrors.status(new ConfNotAllowed("spark.master", "x"))).as("bad input, as Livy's blacklist")
                .isEqualTo(400);
        assertThat(LivyErrors.status(new NotPermitted("x"))).isEqualTo(403);
        assertThat(LivyErrors.status(new NameTaken("x"))).isEqualTo(409);
        assertThat(LivyErrors.status(new NamespaceNotReady("x"))).as("the operator prepares the namespace")
                .isEqualTo(409);
        assertThat(LivyErrors.status(new PayloadTooLarge("x"))).isEqualTo(413);
        assertThat(LivyErrors.status(new OverUserLimit("x"))).isEqualTo(429);
        assertThat(LivyErrors.status(new OverCapacity("x", 30))).isEqualTo(503);
        assertThat(LivyErrors.status(new Unavailable("x"))).isEqualTo(503);
        assertThat(LivyErrors.status(new DriverGone())).isEqualTo(503);
        assertThat(LivyErrors.status(new NoAnswer(Duration.ofSeconds(10)))).isEqualTo(504);
    }
}
