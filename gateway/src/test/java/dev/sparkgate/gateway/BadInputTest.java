package dev.sparkgate.gateway;

import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.protocol.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad requests get a clear 4xx (or Livy's documented status) and disturb nobody's session. */
class BadInputTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.spark);
    private static LivyClient livy;
    private static int session;

    @BeforeAll
    static void clients() {
        livy = gateway.livy();
        session = gateway.session();
    }

    @Test
    void malformedJsonIsRefusedWithWhereItBroke() {
        LivyClient.Reply reply = livy.post("/sessions", "{\"kind\": \"spark\",");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.msg()).contains("not valid JSON", "line 1");
        assertThat(livy.post("/sessions", "[1, 2]").msg()).contains("must be a JSON object");
    }

    @Test
    void fieldsOfTheWrongTypeAreNamed() {
        LivyClient.Reply numbers = livy.post("/sessions", "{\"kind\":\"spark\",\"numExecutors\":\"many\"}");
        LivyClient.Reply conf = livy.post("/sessions", "{\"kind\":\"spark\",\"conf\":[\"spark.a=b\"]}");
        LivyClient.Reply code = livy.post("/sessions/" + session + "/statements", "{\"code\":{\"nested\":true}}");

        assertThat(numbers.status()).isEqualTo(400);
        assertThat(numbers.msg()).isEqualTo("'numExecutors' must be a whole number, not string \"many\".");
        assertThat(conf.msg()).startsWith("'conf' must be an object");
        assertThat(code.msg()).startsWith("'code' must be a string");
    }

    @Test
    void zeppelinsNumbersAsStringsAreAccepted() {
        LivyClient.Reply created = livy.post("/sessions",
                "{\"kind\":\"shared\",\"numExecutors\":\"2\",\"conf\":{\"spark.sql.shuffle.partitions\":4}}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("numExecutors").asInt()).isEqualTo(2);
        assertThat(created.body().path("conf").path("spark.sql.shuffle.partitions").asText()).isEqualTo("4");
        livy.delete("/sessions/" + created.body().path("id").asInt());
    }

    @Test
    void unknownKindsAreRefusedWithTheKindsThatExist() {
        LivyClient.Reply session = livy.post("/sessions", Map.of("kind", "sparkr"));
        LivyClient.Reply statement = livy.post("/sessions/" + BadInputTest.session + "/statements",
                Map.of("code", "1", "kind", "cobol"));
        LivyClient.Reply mismatch = livy.post("/sessions/" + BadInputTest.session + "/statements",
                Map.of("code", "SELECT 1", "kind", "sql"));

        assertThat(session.status()).isEqualTo(400);
        assertThat(session.msg()).contains("'sparkr'", "spark, pyspark, sql or shared");
        assertThat(statement.status()).isEqualTo(400);
        assertThat(statement.msg()).contains("'cobol'");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.msg()).contains("runs only spark statements", "shared session");
    }

    @Test
    void confsThatPlaceTheSessionAreTheOperatorsNotTheUsers() {
        LivyClient.Reply master = livy.post("/sessions", Map.of("kind", "sql", "conf", Map.of("spark.master", "yarn")));
        LivyClient.Reply token = livy.post("/sessions", Map.of("kind", "sql",
                "conf", Map.of("spark.kubernetes.authenticate.oauthToken", "stolen")));

        // bad input whoever sends it, named so it can be left out: 400, as Livy answers its blacklisted confs
        assertThat(master.status()).isEqualTo(400);
        assertThat(master.msg()).contains("'spark.master'", "SPARKGATE_CONF_ALLOW");
        assertThat(token.status()).isEqualTo(400);
    }

    @Test
    void unknownSessionsAndStatementsAre404WithLivysText() {
        assertThat(livy.get("/sessions/9999").status()).isEqualTo(404);
        assertThat(livy.get("/sessions/9999").msg()).isEqualTo("Session '9999' not found.");
        assertThat(livy.delete("/sessions/9999").msg()).isEqualTo("Session '9999' not found.");
        assertThat(livy.post("/sessions/9999/statements", Map.of("code", "1")).status()).isEqualTo(404);
        assertThat(livy.get("/sessions/" + session + "/statements/777").status()).isEqualTo(404);
        assertThat(livy.get("/sessions/" + session + "/statements/abc").msg()).contains("'abc' not found");
        assertThat(livy.post("/sessions/" + session + "/statements/777/cancel", "").status()).isEqualTo(404);
    }

    @Test
    void emptyAndOversizedCodeAreRefused() {
        LivyClient.Reply empty = livy.post("/sessions/" + session + "/statements", Map.of("code", "  "));
        LivyClient.Reply missing = livy.post("/sessions/" + session + "/statements", Map.of());
        LivyClient.Reply huge = livy.post("/sessions/" + session + "/statements",
                Map.of("code", "//" + "x".repeat(17 * 1024 * 1024)));

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.msg()).contains("'code' is empty");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.msg()).contains("limit");
    }

    @Test
    void badQueryParametersAreNamed() {
        LivyClient.Reply reply = livy.get("/sessions?from=minus-one");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.msg()).contains("'from'");
    }

    @Test
    void aStatementOnAStartingSessionIsRefusedUntilItIsIdle() {
        int starting = livy.post("/sessions", Map.of("kind", "spark")).body().path("id").asInt();

        LivyClient.Reply early = livy.post("/sessions/" + starting + "/statements", Map.of("code", "1"));

        assertThat(early.status()).isEqualTo(400);
        assertThat(early.msg()).startsWith("Session isn't active");
        livy.delete("/sessions/" + starting);
    }

    @Test
    void aDeletedSessionIsGoneForStatementsToo() {
        int doomed = livy.post("/sessions", Map.of("kind", "sql")).body().path("id").asInt();
        assertThat(livy.delete("/sessions/" + doomed).msg()).isEqualTo("deleted");

        LivyClient.Reply after = livy.post("/sessions/" + doomed + "/statements", Map.of("code", "SELECT 1"));

        assertThat(after.status()).isEqualTo(404);
        assertThat(after.msg()).isEqualTo("Session '" + doomed + "' not found.");
    }

    @Test
    void nothingOfThisDisturbsTheSessionThatWorks() {
        livy.post("/sessions/" + session + "/statements", "{{{");
        livy.post("/sessions/" + session + "/statements", Map.of("code", ""));

        assertThat(livy.run(session, "spark", "21 * 2").path("output").path("data").path("text/plain").asText())
                .contains("Int = 42");
    }
}
