package dev.sparkgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.protocol.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new session's first cells, which the driver's warm-ups (SQL's first query, Scala's compiler, run in the background
 * once the driver is ready) make faster: they must leave nothing a user can see.
 */
class FirstCellTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.shared);

    @Test
    void theWarmUpsLeaveNoTraceInTheUsersFirstCells() {
        LivyClient livy = gateway.livy();
        int session = gateway.session();

        // given a new idle session, when the user's first Scala cell computes a value
        JsonNode scala = livy.run(session, "spark", "41 + 1");

        // then it is the session's first result, res0, and nothing else shows
        assertThat(scala.path("output").path("status").asText()).as(scala.toString()).isEqualTo("ok");
        assertThat(scala.path("output").path("data").path("text/plain").asText().strip()).isEqualTo("res0: Int = 42");

        // and the first SQL cell answers as ever, with nothing of the warm-up in its output
        JsonNode sql = livy.run(session, "sql", "SELECT 1 AS one");
        assertThat(sql.path("output").path("data").path("text/plain").asText())
                .contains("one").doesNotContain("warm").doesNotContain("Sparkgate");
    }
}
