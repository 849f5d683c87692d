package dev.sparkgate.gateway.versions;

import dev.sparkgate.gateway.api.ApiRoutes;
import dev.sparkgate.gateway.api.Operation;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparkgate.gateway.driver.DriverRuntime;
import dev.sparkgate.gateway.driver.DriverRuntimes;
import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import io.javalin.http.Context;

import java.util.Map;

/**
 * {@code GET /versions?image=IMAGE&kind=KIND}: what an operator asks before creating a session, the versions on both
 * sides and the verdict, as a session on that image would get it ({@code driver.sparkVersion} is the runtime chosen
 * for it), and the driver runtimes this gateway carries ({@code runtimes}: line and Spark version, oldest first).
 */
public final class VersionRoutes {

    private final VersionCheck check;
    private final String defaultNamespace;
    private final DriverRuntimes runtimes;

    /** {@code defaultNamespace} is where a probe runs unless the request names a namespace. */
    public VersionRoutes(VersionCheck check, String defaultNamespace, DriverRuntimes runtimes) {
        this.check = check;
        this.defaultNamespace = defaultNamespace;
        this.runtimes = runtimes;
    }

    public void register(ApiRoutes api) {
        api.get("/versions", Operation.of("versions", "Whether the driver and an executor image can run one session "
                + "(?image, ?kind, ?namespace)").returns("VersionVerdict"), this::verdict);
    }

    private void verdict(Context ctx) {
        String image = ctx.queryParam("image");
        if (image == null || image.isBlank()) {
            throw new BadRequest("Name the executor image: /versions?image=apache/spark:3.5.6&kind=pyspark");
        }
        String kindName = ctx.queryParam("kind");
        Kind kind = kindName == null ? Kind.pyspark : Kind.parse(kindName).orElseThrow(() -> new BadRequest(
                "Unknown kind '" + kindName + "': use one of spark, pyspark, sql or shared."));
        String namespace = ctx.queryParamAsClass("namespace", String.class)
                .getOrDefault(defaultNamespace);
        ObjectNode body = Json.MAPPER.valueToTree(check.judge(kind, image, namespace, Map.of()).verdict());
        ArrayNode lines = body.putArray("runtimes");
        for (DriverRuntime runtime : runtimes.all()) {
            lines.addObject().put("line", runtime.line()).put("sparkVersion", runtime.sparkVersion());
        }
        ctx.json(body);
    }
}
