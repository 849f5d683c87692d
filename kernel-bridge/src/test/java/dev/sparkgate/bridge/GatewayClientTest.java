package dev.sparkgate.bridge;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.GatewayException;
import dev.sparkgate.client.SessionEndedException;
import dev.sparkgate.client.SessionStream;
import dev.sparkgate.client.StatementEvents;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.bridge.testing.GatewayProcess;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.SessionView;
import dev.sparkgate.protocol.StatementEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client every front end builds on, against the real gateway jar. */
class GatewayClientTest {

    private static GatewayProcess gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayProcess.start(Map.of("SPARKGATE_TOKEN", "bridge-token"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aSessionRunsCodeAndItsEventsArriveOnTheStream() throws Exception {
        // given a session, ready as its stream says
        GatewayClient client = new GatewayClient(gateway.uri(), "bridge-token");
        SessionView session = client.createSession(Map.of("kind", "sql", "name", "client-test"));

        try (SessionStream stream = client.openStream(session.id())) {
            assertThat(stream.awaitActive(Duration.ofSeconds(120)).state().active()).isTrue();

            // when a statement runs
            StatementEvents events = new StatementEvents();
            int id = stream.execute("sql", "SELECT 42 AS answer", events);

            // then its events, and only its, arrive, ending with its result
            StatementEvent.Finished finished = events.finished(Duration.ofSeconds(60));
            assertThat(finished.statementId()).isEqualTo(id);
            assertThat(finished.outcome()).isEqualTo(StatementEvent.Outcome.ok);
            assertThat(stream.ask("sql", new InterpreterQuestion.Complete("SEL", 3)).candidates()).contains("SELECT");
        }
        assertThat(client.session("client-test").id()).isEqualTo(session.id());
        client.deleteSession(session.id());
        assertThat(client.findSession(String.valueOf(session.id()))).isNull();
    }

    @Test
    void aSessionDeletedUnderItsStreamIsToldByTheTypedEndedMessage() throws Exception {
        // given a stream of a running session
        GatewayClient client = new GatewayClient(gateway.uri(), "bridge-token");
        SessionView session = client.createSession(Map.of("kind", "sql"));
        try (SessionStream stream = client.openStream(session.id())) {
            stream.awaitActive(Duration.ofSeconds(120));

            // when the session is deleted
            client.deleteSession(session.id());

            // then the stream says the session ended, typed, and nothing more runs
            assertThat(stream.whenOver().get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(SessionEndedException.class,
                    ended -> assertThat(ended.state()).isEqualTo(SessionState.killed));
            assertThatThrownBy(() -> stream.execute("sql", "SELECT 1", new StatementEvents()))
                    .isInstanceOf(SessionEndedException.class).hasMessageContaining("killed");
        }
    }

    @Test
    void aWrongTokenAndAnUnreachableGatewaySayWhatIsWrong() {
        assertThatThrownBy(() -> new GatewayClient(gateway.uri(), "nope").session("0"))
                .isInstanceOf(GatewayException.class).hasMessageContaining("refused the token");
        assertThatThrownBy(() -> new GatewayClient(URI.create("http://127.0.0.1:9"), null).session("0"))
                .isInstanceOf(GatewayException.class).hasMessageContaining("Cannot reach the Sparkgate gateway");
    }
}
