package dev.sparkgate.bridge;

import dev.sparkgate.bridge.client.GatewayClient;
import dev.sparkgate.bridge.client.GatewayException;
import dev.sparkgate.bridge.client.SessionStream;
import dev.sparkgate.bridge.testing.GatewayProcess;
import dev.sparkgate.protocol.SessionView;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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
        GatewayClient client = new GatewayClient(gateway.uri(), "bridge-token");
        SessionView session = client.createSession(Map.of("kind", "sql", "name", "client-test"));
        client.awaitIdle(session.id(), Duration.ofSeconds(120));
        List<StreamUpdate> seen = new CopyOnWriteArrayList<>();

        try (SessionStream stream = client.openStream(session.id(), seen::add)) {
            int id = stream.execute("sql", "SELECT 42 AS answer");
            awaitFinished(seen, id, Duration.ofSeconds(60));
            assertThat(stream.complete("sql", "SEL", 3).candidates()).contains("SELECT");
        }
        assertThat(client.session("client-test").id()).isEqualTo(session.id());
        client.deleteSession(session.id());
        assertThat(client.findSession(String.valueOf(session.id()))).isNull();
    }

    /** Waits until the stream delivered the statement's finished event; fails with what it did deliver. */
    private static void awaitFinished(List<StreamUpdate> seen, int statementId, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.stream().noneMatch(u -> u instanceof StreamUpdate.Event e
                && e.event() instanceof StatementEvent.Finished && e.event().statementId() == statementId)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("statement " + statementId + " not finished within " + timeout
                        + "; the stream delivered " + seen);
            }
            Thread.sleep(20);
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
