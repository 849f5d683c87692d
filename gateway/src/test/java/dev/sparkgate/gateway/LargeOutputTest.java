package dev.sparkgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.StreamClient;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cell whose output or value is larger than one message on the driver's link may be (the gateway closes a link that
 * sends more than ~65 MB at once, and a driver without its link stops): the driver sends output in bounded chunks and
 * cuts what is beyond a statement's bounds with a note, so the session lives and the statement is kept.
 */
class LargeOutputTest {

    /** More than the gateway's largest link message, 65 MiB. */
    private static final int HUGE = 70_000_000;

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.pyspark).withPlainPython()
            .requires(OutsideTools.PYTHON3);

    @Test
    void aCellPrintingMoreThanTheLinkCarriesIsCutWithANoteAndTheSessionGoesOn() {
        LivyClient livy = gateway.livy();
        int session = gateway.session();
        try (StreamClient stream = gateway.stream()) {
            // given a session, when a cell prints 70 MB and its value is a 70 MB string
            int id = stream.execute(null, "print('x' * " + HUGE + ")\n'y' * " + HUGE);

            // then the stream delivers it as bounded chunks and a finished statement with the cut value
            StatementEvent.Finished finished = (StatementEvent.Finished) ((StreamUpdate.Event)
                    stream.awaitFinished(id, Duration.ofSeconds(120)).update()).event();
            assertThat(finished.outcome()).as("the statement's outcome, error: %s", finished.error())
                    .isEqualTo(StatementEvent.Outcome.ok);
            List<StatementEvent.Stream> chunks = stream.events(id).stream()
                    .filter(e -> e instanceof StatementEvent.Stream).map(e -> (StatementEvent.Stream) e).toList();
            assertThat(chunks).as("stream chunks").isNotEmpty()
                    .allSatisfy(chunk -> assertThat(chunk.text().length()).isLessThanOrEqualTo(1024 * 1024));
            String printed = String.join("", chunks.stream().map(StatementEvent.Stream::text).toList());
            assertThat(printed).startsWith("xxxx").contains("output was cut at 8 MiB")
                    .hasSizeLessThan(9 * 1024 * 1024);
            assertThat(String.valueOf(finished.result().get("text/plain")))
                    .startsWith("'yyyy").contains("result was cut").hasSizeLessThan(2 * 1024 * 1024);
        }

        // and Livy's view of the statement has both, with the notes that say what to do
        JsonNode statements = livy.get("/sessions/" + session + "/statements").body().path("statements");
        JsonNode statement = statements.get(statements.size() - 1);
        assertThat(statement.path("state").asText()).isEqualTo("available");
        assertThat(statement.path("output").path("data").path("text/plain").asText())
                .contains("output was cut at 8 MiB", "write large results to a file or table", "result was cut");

        // and the session is idle and runs the next statement
        assertThat(livy.awaitState(session, "idle", Duration.ofSeconds(30)).path("state").asText()).isEqualTo("idle");
        assertThat(livy.run(session, null, "1 + 1").path("output").path("data").path("text/plain").asText())
                .isEqualTo("2");
    }
}
