package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.driver.DriverLink;
import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.metrics.GatewayMetrics;
import dev.sparkgate.gateway.errors.DriverGone;
import dev.sparkgate.gateway.errors.SessionEnded;
import dev.sparkgate.gateway.errors.SessionNotActive;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverInfo;
import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One session's parts working together, driven as its driver link would drive it, without a driver JVM. */
class SessionTest {

    private final List<DriverCommand> sent = new ArrayList<>();
    private final List<StreamUpdate> watched = new ArrayList<>();
    private final DriverLink link = new DriverLink() {
        @Override
        public void send(DriverCommand command) {
            sent.add(command);
        }

        @Override
        public void close() {
        }
    };
    private final Session session = new Session(new SessionSpec(4, null, Kind.shared, null, Map.of(), 100,
            new SessionSpec.PythonSettings("python3", null, false)), SessionRequest.of(Kind.shared), "s3cret",
            new DriverLog(100), new NotPlacedDriver(), new SessionTerms(Duration.ZERO, false), new GatewayMetrics());

    /** Admitted and its turn come: the driver is being launched. */
    @BeforeEach
    void launching() {
        assertThat(session.launching()).isTrue();
    }

    @Test
    void aStartingSessionRefusesStatementsUntilItsDriverIsReady() {
        session.attachLink(link);

        assertThatThrownBy(() -> session.submit("spark", "1")).isInstanceOf(SessionNotActive.class);

        ready();
        assertThat(session.submit("spark", "1").id()).isZero();
    }

    @Test
    void aStatementGoesToTheDriverAndItsEventsToTheWatchersInOrder() {
        session.attachLink(link);
        ready();
        session.subscribe(watched::add, 0);

        Statement statement = session.submit(null, "21 * 2");
        assertThat(session.state()).isEqualTo(SessionState.busy);
        session.onDriverMessage(new DriverMessage.Event(1, new StatementEvent.Accepted(statement.id(), "spark", "21 * 2", 1)));
        session.onDriverMessage(new DriverMessage.Event(2, new StatementEvent.Started(statement.id(), 1)));
        session.onDriverMessage(new DriverMessage.Event(3, StatementEvent.Finished.ok(statement.id(),
                Map.of("text/plain", "res0: Int = 42"))));

        assertThat(sent).containsExactly(new DriverCommand.Resume(0), new DriverCommand.Execute(0, Kind.spark, "21 * 2"));
        assertThat(session.state()).isEqualTo(SessionState.idle);
        assertThat(watched).filteredOn(u -> u instanceof StreamUpdate.Event).extracting(u -> ((StreamUpdate.Event) u).seq())
                .containsExactly(1L, 2L, 3L);
        assertThat(watched).filteredOn(u -> u instanceof StreamUpdate.Session)
                .extracting(u -> ((StreamUpdate.Session) u).session().state())
                .containsExactly(SessionState.idle, SessionState.busy, SessionState.idle);
    }

    @Test
    void whoSubmitsAStatementHearsItsIdOnlyOnceTheDriverHasItAndBeforeItsFirstEvent() {
        session.attachLink(link);
        ready();
        List<String> heard = new ArrayList<>();
        session.subscribe(update -> {
            if (update instanceof StreamUpdate.Event event) {
                heard.add("event " + event.seq());
            }
        }, 0);

        Statement statement = session.submit("spark", "1", accepted -> heard.add("acknowledged " + accepted.id()));
        Statement failing = session.submit("spark", "2", accepted -> heard.add("acknowledged " + accepted.id()));
        assertThat(sent).contains(new DriverCommand.Execute(statement.id(), Kind.spark, "1"));
        assertThat(heard).as("before the driver said it has them (a crash now would lose them)").isEmpty();

        session.onDriverMessage(new DriverMessage.Event(1, new StatementEvent.Accepted(statement.id(), "spark", "1", 1)));
        assertThat(heard).containsExactly("acknowledged 0", "event 1");
        session.onDriverMessage(new DriverMessage.Event(2, StatementEvent.Finished.ok(statement.id(), Map.of())));

        // a statement the driver never got is told too, by its failure, when the driver goes
        session.onDriverExit(137);
        assertThat(heard).containsExactly("acknowledged 0", "event 1", "event 2", "acknowledged " + failing.id(),
                "event 3");
    }

    @Test
    void anAnswerCompletesTheQuestionThatAskedForIt() throws Exception {
        session.attachLink(link);
        ready();

        CompletableFuture<InterpreterAnswer.Completions> answer =
                session.ask("spark", new InterpreterQuestion.Complete("sc.", 3));
        int requestId = ((DriverCommand.Ask) sent.get(1)).requestId();
        session.onDriverMessage(new DriverMessage.Answer(requestId,
                new InterpreterAnswer.Completions(List.of("parallelize"), 3, 3)));

        assertThat(answer.get(1, TimeUnit.SECONDS).candidates()).containsExactly("parallelize");
    }

    @Test
    void whenTheDriverExitsTheSessionIsDeadItsWorkFailsAndItSaysWhy() {
        session.attachLink(link);
        ready();
        Statement running = session.submit("spark", "Thread.sleep(60000)");
        CompletableFuture<InterpreterAnswer.Completions> question =
                session.ask("spark", new InterpreterQuestion.Complete("sc.", 3));

        session.onDriverExit(137);

        assertThat(session.state()).isEqualTo(SessionState.dead);
        assertThat(running.finished().error().evalue()).contains("driver exited with code 137");
        assertThat(question).isCompletedExceptionally();
        assertThatThrownBy(question::join).hasCauseInstanceOf(DriverGone.class);
        assertThatThrownBy(() -> session.submit("spark", "1")).isInstanceOf(SessionEnded.class)
                .hasMessageStartingWith("Session is in state dead: sparkgate: the driver process exited with code 137");
    }

    @Test
    void aDriverThatExitsBeforeItIsReadyMakesItsLastLineTheSessionsCause() {
        session.log().append("sparkgate-driver session 4: cannot reach the gateway at ws://10.0.0.9:8998/driver/4 "
                + "within 30 s (java.net.ConnectException: Connection refused). Check that the gateway is running");

        session.onDriverExit(69);

        assertThat(session.state()).isEqualTo(SessionState.error);
        assertThatThrownBy(() -> session.submit("spark", "1")).isInstanceOf(SessionEnded.class)
                .hasMessageContaining("exited with code 69 before it was ready: sparkgate-driver session 4: "
                        + "cannot reach the gateway at ws://10.0.0.9:8998/driver/4");
    }

    @Test
    void aDeletedSessionIsKilledAndItsWatchersAreToldItClosed() {
        session.attachLink(link);
        ready();
        boolean[] closed = {false};
        session.subscribe(new SessionSubscriber() {
            @Override
            public void send(StreamUpdate update) {
                watched.add(update);
            }

            @Override
            public void sessionClosed() {
                closed[0] = true;
            }
        }, 0);

        session.beginShutdown();
        session.onDriverExit(0);
        session.finishShutdown();

        assertThat(sent).containsExactly(new DriverCommand.Resume(0), new DriverCommand.Shutdown());
        assertThat(session.state()).isEqualTo(SessionState.killed);
        assertThat(closed[0]).isTrue();
        assertThat(session.attachLink(link)).as("no link to a deleted session").isFalse();
    }

    @Test
    void aDriverThatDialsAgainResumesAfterTheLastEventTheGatewayHasAndNothingComesTwice() {
        session.attachLink(link);
        ready();
        session.subscribe(watched::add, 0);
        Statement statement = session.submit(null, "(1 to 3).foreach(println)");
        session.onDriverMessage(new DriverMessage.Event(1, new StatementEvent.Accepted(statement.id(), "spark", "c", 1)));
        session.onDriverMessage(new DriverMessage.Event(2, new StatementEvent.Started(statement.id(), 1)));

        assertThat(session.attachLink(link)).as("the driver dialled again").isTrue();
        // the driver sends what it kept after seq 2; a duplicate of seq 2 from a resume overlapping is dropped
        session.onDriverMessage(new DriverMessage.Event(2, new StatementEvent.Started(statement.id(), 1)));
        session.onDriverMessage(new DriverMessage.Event(3, new StatementEvent.Stream(statement.id(),
                StatementEvent.StreamName.stdout, "1\n2\n3\n")));
        session.onDriverMessage(new DriverMessage.Event(4, StatementEvent.Finished.ok(statement.id(), Map.of())));

        assertThat(sent).containsSubsequence(new DriverCommand.Resume(0), new DriverCommand.Resume(2));
        assertThat(watched).filteredOn(u -> u instanceof StreamUpdate.Event).extracting(u -> ((StreamUpdate.Event) u).seq())
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(session.state()).isEqualTo(SessionState.idle);
    }

    @Test
    void aStatementTheDriverNeverAcceptedGoesAgainOnItsNextLink() {
        session.attachLink(link);
        ready();
        session.submit("spark", "1 + 1");
        session.submit("spark", "2 + 2");
        session.onDriverMessage(new DriverMessage.Event(1, new StatementEvent.Accepted(0, "spark", "1 + 1", 1)));

        session.attachLink(link);

        assertThat(sent).containsExactly(new DriverCommand.Resume(0), new DriverCommand.Execute(0, Kind.spark, "1 + 1"),
                new DriverCommand.Execute(1, Kind.spark, "2 + 2"), new DriverCommand.Resume(1),
                new DriverCommand.Execute(1, Kind.spark, "2 + 2"));
    }

    @Test
    void aRecoveredSessionRebuildsItsStatementsFromTheDriverAndContinuesTheirIds() {
        Session recovered = Session.recovered(session.record(), "s3cret", new DriverLog(100), new NotPlacedDriver(),
                new GatewayMetrics());
        assertThat(recovered.state()).isEqualTo(SessionState.recovering);
        assertThat(recovered.view().createdAt()).isEqualTo(session.view().createdAt());

        recovered.attachLink(link);
        recovered.onDriverMessage(new DriverMessage.Event(1, new StatementEvent.Accepted(0, "spark", "val x = 1", 1)));
        recovered.onDriverMessage(new DriverMessage.Event(2, StatementEvent.Finished.ok(0, Map.of())));
        recovered.onDriverMessage(new DriverMessage.Event(3, new StatementEvent.Accepted(1, "spark", "Thread.sleep(9)", 2)));
        recovered.onDriverMessage(new DriverMessage.Ready(new DriverInfo("3.5.6", "2.12.18", "local[*]", "app-1", null,
                null, 1234)));

        assertThat(sent).containsExactly(new DriverCommand.Resume(0));
        assertThat(recovered.state()).as("statement 1 still runs").isEqualTo(SessionState.busy);
        assertThat(recovered.statements()).extracting(Statement::id).containsExactly(0, 1);
        assertThat(recovered.statement(1).code()).isEqualTo("Thread.sleep(9)");
        assertThat(recovered.submit("spark", "x").id()).as("ids continue after the recovered ones").isEqualTo(2);
    }

    @Test
    void aRecoveredSessionWhoseDriverDoesNotReturnIsDeadAndSaysWhy() {
        Session recovered = Session.recovered(session.record(), "s3cret", new DriverLog(100), new NotPlacedDriver(),
                new GatewayMetrics());

        assertThat(recovered.onRecoveryTimeout(Duration.ofSeconds(60))).isTrue();

        assertThat(recovered.state()).isEqualTo(SessionState.dead);
        assertThatThrownBy(() -> recovered.submit("spark", "1")).isInstanceOf(SessionEnded.class)
                .hasMessageContaining("the driver did not return after the gateway restarted");
        assertThat(recovered.onRecoveryTimeout(Duration.ofSeconds(60))).as("once").isFalse();
    }

    @Test
    void onlyTheSessionsOwnSecretAuthenticatesItsDriver() {
        assertThat(session.authenticates("s3cret")).isTrue();
        assertThat(session.authenticates("guess")).isFalse();
        assertThat(session.authenticates(null)).isFalse();
    }

    private void ready() {
        session.onDriverMessage(new DriverMessage.Ready(new DriverInfo("3.5.6", "2.12.18", "local[*]", "app-1", null,
                null, 1234)));
    }
}
