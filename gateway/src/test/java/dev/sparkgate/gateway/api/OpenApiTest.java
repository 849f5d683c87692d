package dev.sparkgate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /openapi.json} describes the gateway's REST API as it is served: a valid OpenAPI 3 document (checked
 * by swagger-parser), rendered from the one route table, listing every route Livy's clients and our Livy tests
 * call, the version check, the Kernel Gateway subset, the stream and the operator's routes. Health routes answer
 * probes without the token.
 */
class OpenApiTest {

    private static final String TOKEN = "openapi-s3cret";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().token(TOKEN);

    @Test
    void theDocumentIsValidOpenApi3() {
        LivyClient.Reply reply = gateway.livy(TOKEN).get("/openapi.json");

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(reply.body().toString());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(parsed.getMessages()).as("swagger-parser's findings").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.0");
        assertThat(reply.body().path("security")).as("the token it asks for").isNotEmpty();
    }

    @Test
    void itListsEveryRouteTheLivyTestsAndClientsCall() {
        JsonNode paths = gateway.livy(TOKEN).get("/openapi.json").body().path("paths");

        assertThat(operations(paths)).contains(
                "get /version", "post /sessions", "get /sessions", "get /sessions/{id}", "delete /sessions/{id}",
                "get /sessions/{id}/state", "get /sessions/{id}/log", "post /sessions/{id}/statements",
                "get /sessions/{id}/statements", "get /sessions/{id}/statements/{sid}",
                "post /sessions/{id}/statements/{sid}/cancel", "post /sessions/{id}/completion",
                "get /versions", "get /api/kernelspecs", "get /api/kernels", "post /api/kernels",
                "delete /api/kernels/{kernel_id}", "post /api/kernels/{kernel_id}/interrupt",
                "post /api/kernels/{kernel_id}/restart", "get /api/kernels/{kernel_id}/channels",
                "get /sessions/{id}/stream", "get /sessions/{id}/ui/{path}", "get /metrics", "get /healthz",
                "get /readyz", "get /openapi.json");
        assertThat(paths.path("/sessions/{id}/stream").path("get").path("description").asText())
                .as("the stream's messages, documented beside it").contains("execute", "session/README.md");
        assertThat(paths.path("/sessions").path("post").path("requestBody").toString()).contains("CreateSession");
    }

    @Test
    void noRouteIsServedWithoutADescription() {
        assertThat(gateway.gateway().gateway().api().undescribed())
                .as("routes registered with Javalin around the ApiRoutes table").isEmpty();
    }

    @Test
    void probesNeedNoTokenAndReadinessSaysWhatItChecked() {
        LivyClient anonymous = gateway.livy(null);

        LivyClient.Reply alive = anonymous.get("/healthz");
        LivyClient.Reply ready = anonymous.get("/readyz");

        assertThat(alive.status()).isEqualTo(200);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("status").asText()).isEqualTo("ok");
        assertThat(ready.body().path("checks").path("recovery").asText()).isEqualTo("ok");
        assertThat(anonymous.get("/openapi.json").status()).as("the description is behind the token").isEqualTo(401);
    }

    private static List<String> operations(JsonNode paths) {
        List<String> operations = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> operations.add(method + " " + path.getKey())));
        return operations;
    }
}
