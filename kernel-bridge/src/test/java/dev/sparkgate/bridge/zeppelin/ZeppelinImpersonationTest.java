package dev.sparkgate.bridge.zeppelin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.bridge.testing.GatewayProcess;
import dev.sparkgate.bridge.zeppelin.ZeppelinInterpreterProcess.Paragraph;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.testkit.OutsideTools;
import org.apache.zeppelin.interpreter.InterpreterResult.Code;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Zeppelin user reaches the gateway: with {@code zeppelin.sparkgate.impersonate}, the interpreter (driven as
 * Zeppelin's interpreter process drives it) creates each session as the Zeppelin user who runs it, using a service
 * identity the gateway lets impersonate; the session is that user's, refused to another user's paragraph; and an
 * identity the gateway does not let impersonate gets the gateway's 403 in the paragraph. One gateway, one driver.
 */
class ZeppelinImpersonationTest {

    private static GatewayProcess gateway;
    private static ZeppelinInterpreterProcess service;
    private static ZeppelinInterpreterProcess notAllowed;

    @BeforeAll
    static void start() throws Exception {
        OutsideTools.HTPASSWD.require();
        Path users = Files.createTempFile("sparkgate-users", ".htpasswd");
        users.toFile().deleteOnExit();
        Files.write(users, List.of(htpasswd("zeppelin", "zeppelin-token"), htpasswd("alice", "alice-token"),
                htpasswd("bob", "bob-token")));
        gateway = GatewayProcess.start(Map.of("SPARKGATE_USERS_FILE", users.toString(),
                "SPARKGATE_IMPERSONATORS", "zeppelin", "SPARK_HOME", "/nonexistent"));
        service = new ZeppelinInterpreterProcess("sparkgate-impersonating", impersonating("zeppelin-token"));
        notAllowed = new ZeppelinInterpreterProcess("sparkgate-not-allowed", impersonating("bob-token"));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (notAllowed != null) {
            notAllowed.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private static Properties impersonating(String token) {
        Properties setting = ZeppelinInterpreterTest.setting(gateway.uri().toString(), token);
        setting.setProperty(SessionSettings.IMPERSONATE, "true");
        return setting;
    }

    @Test
    void aliceParagraphRunsInASessionThatIsAlicesAndNotInAnotherUsers() throws Exception {
        service.createSession("user-alice", "alice");

        Paragraph paragraph = service.run("user-alice", "sql", "answer", "SELECT 6 * 7 AS answer");

        assertThat(paragraph.result().code()).as(paragraph.result().toString()).isEqualTo(Code.SUCCESS);
        JsonNode alicesSessions = sessionsOf("alice-token");
        assertThat(alicesSessions).hasSize(1);
        assertThat(alicesSessions.get(0).path("owner").asText()).isEqualTo("alice");
        assertThat(alicesSessions.get(0).path("proxyUser").asText()).isEqualTo("alice");
        assertThat(sessionsOf("bob-token")).as("bob's list").isEmpty();

        Paragraph bobs = service.runAs("bob", "user-alice", "sql", "bobs", "SELECT 1");

        assertThat(bobs.result().code()).isEqualTo(Code.ERROR);
        assertThat(bobs.result().message().toString()).contains("runs as alice, not as bob", "Per User");
        assertThat(sessionsOf("bob-token")).as("bob's list").isEmpty();
    }

    @Test
    void anIdentityTheGatewayDoesNotLetImpersonateIsRefusedInTheParagraph() throws Exception {
        notAllowed.createSession("user-alice", "alice");

        Paragraph paragraph = notAllowed.run("user-alice", "sql", "refused", "SELECT 1");

        assertThat(paragraph.result().code()).isEqualTo(Code.ERROR);
        assertThat(paragraph.result().message().toString()).contains("act as 'alice'", "SPARKGATE_IMPERSONATORS");
        assertThat(sessionsOf("alice-token")).noneMatch(session -> session.path("owner").asText().equals("bob"));
    }

    private static JsonNode sessionsOf(String token) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.uri().resolve("/sessions")).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body()).path("sessions");
    }

    private static String htpasswd(String name, String token) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("htpasswd", "-nbB", "-C", "4", name, token).redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as("htpasswd: %s", out).isZero();
        return out;
    }
}
