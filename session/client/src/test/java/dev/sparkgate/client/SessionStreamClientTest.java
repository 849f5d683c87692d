package dev.sparkgate.client;

import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamRequest;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sparkgate.client.FakeGateway.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stream client against a scripted gateway: readiness, routing, resuming and giving up, with no JVM launched. */
class SessionStreamClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeGateway gateway;
    private SessionStream stream;

    @BeforeEach
    void start() throws InterruptedException {
        gateway = FakeGateway.started();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (stream != null) {
            stream.close();
        }
        gateway.close();
    }

    private SessionStream open(RetryPolicy retry) {
        stream = new GatewayClient(gateway.uri(), null, retry).openStream(3);
        return stream;
    }

    @Test
    void theSessionIsReadyWhenTheStreamSaysSoNotBefore() throws Exception {
        // given a session that is still starting
        open(RetryPolicy.DEFAULT);
        WebSocket connection = gateway.nextConnection();
        send(connection, "{'type':'session','session':{'id':3,'state':'starting'}}");
        CompletableFuture<?> ready = stream.active();

        // when its driver comes up
        assertThat(ready).as("not ready while starting").isNotCompleted();
        send(connection, "{'type':'session','session':{'id':3,'state':'idle'}}");

        // then the stream says so
        assertThat(stream.awaitActive(WAIT).state()).isEqualTo(SessionState.idle);
        assertThat(connection.getResourceDescriptor()).as("a new client asks for nothing of the past")
                .endsWith("?since=" + Long.MAX_VALUE);
    }

    @Test
    void aStatementsEventsReachItsSubmitterEvenThoseBeforeItsIdCameBack() throws Exception {
        open(RetryPolicy.DEFAULT);
        WebSocket connection = gateway.nextConnection();
        StatementEvents events = new StatementEvents();

        // when the statement's first event arrives before the reply with its id
        CompletableFuture<Integer> id = CompletableFuture.supplyAsync(() -> stream.execute("spark", "1", events));
        StreamRequest.Execute execute = (StreamRequest.Execute) gateway.nextRequest();
        send(connection, "{'type':'event','seq':1,'event':{'type':'started','statementId':9,'at':1}}");
        send(connection, "{'type':'event','seq':2,'event':{'type':'started','statementId':8,'at':1}}");
        send(connection, "{'type':'submitted','requestId':" + execute.requestId() + ",'statementId':9}");
        send(connection, "{'type':'event','seq':3,'event':{'type':'finished','statementId':9,'outcome':'ok','at':2}}");

        // then the submitter gets both, and none of the other statement's
        assertThat(id.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(9);
        assertThat(nextTwo(events)).extracting(StatementEvent::statementId).containsExactly(9, 9);
    }

    @Test
    void aDroppedConnectionResumesAfterTheLastEventAndTheStatementCompletesWithEveryEventOnce() throws Exception {
        // given a statement that has printed once
        open(RetryPolicy.DEFAULT);
        WebSocket first = gateway.nextConnection();
        StatementEvents events = new StatementEvents();
        submit(first, 4, events);
        send(first, "{'type':'event','seq':41,'event':{'type':'stream','statementId':4,'name':'stdout','text':'a'}}");
        assertThat(((StatementEvent.Stream) events.next(WAIT)).text()).isEqualTo("a");

        // when the connection drops, and the gateway, resumed, sends from where the client asked (and once more the
        // last event it may not have known was delivered)
        first.closeConnection(1006, "dropped");
        WebSocket second = gateway.nextConnection();
        send(second, "{'type':'session','session':{'id':3,'state':'busy'}}");
        send(second, "{'type':'event','seq':41,'event':{'type':'stream','statementId':4,'name':'stdout','text':'a'}}");
        send(second, "{'type':'event','seq':42,'event':{'type':'stream','statementId':4,'name':'stdout','text':'b'}}");
        send(second, "{'type':'event','seq':43,'event':{'type':'finished','statementId':4,'outcome':'ok','at':2}}");

        // then it asked for what came after event 41, and the statement ends with every line once
        assertThat(second.getResourceDescriptor()).endsWith("?since=41");
        StatementEvent b = events.next(WAIT);
        assertThat(b).isInstanceOfSatisfying(StatementEvent.Stream.class, s -> assertThat(s.text()).isEqualTo("b"));
        assertThat(events.finished(WAIT).outcome()).isEqualTo(StatementEvent.Outcome.ok);
        assertThat(stream.usable()).isTrue();
    }

    @Test
    void aRequestMadeWhileTheStreamReconnectsGoesOutOnTheNewConnection() throws Exception {
        open(RetryPolicy.DEFAULT);
        WebSocket first = gateway.nextConnection();
        first.closeConnection(1006, "dropped");
        WebSocket second = gateway.nextConnection();

        CompletableFuture<List<String>> candidates = CompletableFuture.supplyAsync(
                () -> stream.ask("spark", new InterpreterQuestion.Complete("spark.ra", 8)).candidates());
        StreamRequest complete = gateway.nextRequest();
        send(second, "{'type':'completions','requestId':" + complete.requestId()
                + ",'candidates':['range'],'cursorStart':6,'cursorEnd':8}");

        assertThat(candidates.get(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly("range");
        assertThat(second.getResourceDescriptor()).as("no event seen yet: everything, none of it delivered")
                .endsWith("?since=0");
    }

    @Test
    void anEndedSessionIsToldByTheTypedMessageAndTheStreamDoesNotResume() throws Exception {
        // given a statement running when the session's driver dies
        open(RetryPolicy.DEFAULT);
        WebSocket connection = gateway.nextConnection();
        StatementEvents events = new StatementEvents();
        submit(connection, 2, events);

        // when the gateway says it ended
        send(connection, "{'type':'session','session':{'id':3,'state':'dead'}}");
        send(connection, "{'type':'ended','state':'dead','cause':'The driver exited with code 137.'}");

        // then the statement ends saying so, every request fails with the typed error, and nothing reconnects
        StatementEvent.Finished finished = events.finished(WAIT);
        assertThat(finished.error().ename()).isEqualTo("SessionEnded");
        assertThat(finished.error().evalue()).contains("dead", "exited with code 137");
        assertThatThrownBy(() -> stream.execute("spark", "2", new StatementEvents()))
                .isInstanceOfSatisfying(SessionEndedException.class, e -> {
                    assertThat(e.state()).isEqualTo(SessionState.dead);
                    assertThat(e.cause()).isEqualTo("The driver exited with code 137.");
                });
        assertThatThrownBy(() -> stream.awaitActive(WAIT)).isInstanceOf(SessionEndedException.class);
        assertThat(stream.usable()).isFalse();
        assertThat(gateway.anotherConnectionWithin(500)).isFalse();
    }

    @Test
    void aGatewayThatStaysAwayBecomesOneClearErrorAfterTheRetryPolicysTime() throws Exception {
        // given a running statement, and a client that retries for one second
        open(RetryPolicy.givingUpAfter(Duration.ofSeconds(1)));
        WebSocket connection = gateway.nextConnection();
        StatementEvents events = new StatementEvents();
        submit(connection, 6, events);

        // when the gateway goes away for good
        long t0 = System.nanoTime();
        gateway.close();

        // then the statement ends with one error that says what happened and what to do
        StatementEvent.Finished finished = events.finished(WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofSeconds(1), WAIT);
        assertThat(finished.error().ename()).isEqualTo("ConnectionLost");
        assertThat(finished.error().evalue()).contains("could not get it back within 1 s", "run the cell again");
        assertThat(stream.usable()).isFalse();
        assertThatThrownBy(() -> stream.ask("spark", new InterpreterQuestion.Complete("x", 1))).isInstanceOf(GatewayException.class)
                .hasMessageContaining("within 1 s");
    }

    /** Submits code as statement {@code statementId}, the gateway's side played by the test. */
    private void submit(WebSocket connection, int statementId, StatementEvents events) throws Exception {
        CompletableFuture<Integer> id = CompletableFuture.supplyAsync(() -> stream.execute("spark", "1", events));
        StreamRequest.Execute execute = (StreamRequest.Execute) gateway.nextRequest();
        send(connection, "{'type':'submitted','requestId':" + execute.requestId() + ",'statementId':" + statementId + "}");
        assertThat(id.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(statementId);
    }

    private static List<StatementEvent> nextTwo(StatementEvents events) throws Exception {
        List<StatementEvent> two = new ArrayList<>();
        two.add(events.next(WAIT));
        two.add(events.next(WAIT));
        return two;
    }
}
