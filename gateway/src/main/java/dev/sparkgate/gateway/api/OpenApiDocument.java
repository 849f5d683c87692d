package dev.sparkgate.gateway.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /openapi.json}: an OpenAPI 3.0 document rendered from the {@link ApiRoutes} table at each request, so
 * it lists exactly the routes the gateway serves. WebSockets appear as their upgrade GET, with where their messages
 * are documented (the session stream's in {@code session/README.md}, beside {@code StreamRequest} and
 * {@code StreamUpdate} in the protocol module).
 */
public final class OpenApiDocument {

    static final String STREAM_MESSAGES = "The stream's messages are JSON objects with a \"type\": requests "
            + "execute, cancel, complete, inspect, isComplete; updates session, event (accepted, started, stream, "
            + "display, progress, finished, each with the session's seq), reply and refused. session/README.md "
            + "(\"The session stream\") documents each field; ?since=SEQ replays the events after SEQ.";

    private OpenApiDocument() {
    }

    public static Map<String, Object> render(List<ApiRoute> routes, String version, boolean tokenRequired) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Sparkgate", "version", version,
                "description", "Long-lived Spark sessions for notebooks: Apache Livy's interactive-session REST API, "
                        + "the Jupyter Kernel Gateway API, the version check and the operator's routes. "
                        + STREAM_MESSAGES));
        Map<String, Map<String, Object>> paths = new TreeMap<>();
        for (ApiRoute route : routes) {
            paths.computeIfAbsent(route.openApiPath(), p -> new LinkedHashMap<>())
                    .put(route.method(), operation(route));
        }
        doc.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("schemas", ApiSchemas.all());
        components.put("securitySchemes", Map.of(
                "bearer", Map.of("type", "http", "scheme", "bearer",
                        "description", "SPARKGATE_TOKEN; Jupyter's 'Authorization: token T' works too"),
                "queryToken", Map.of("type", "apiKey", "in", "query", "name", "token")));
        doc.put("components", components);
        if (tokenRequired) {
            doc.put("security", List.of(Map.of("bearer", List.of()), Map.of("queryToken", List.of())));
        }
        return doc;
    }

    private static Map<String, Object> operation(ApiRoute route) {
        Operation op = route.operation();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("tags", List.of(op.tag()));
        o.put("summary", op.summary());
        o.put("operationId", operationId(route));
        if (route.webSocket()) {
            o.put("description", "A WebSocket: upgrade with a GET. "
                    + (route.path().endsWith("/stream") ? STREAM_MESSAGES : "Jupyter's kernel messages, as JSON."));
        }
        List<Map<String, Object>> parameters = route.pathParameters().stream()
                .map(name -> Map.<String, Object>of("name", name, "in", "path", "required", true,
                        "schema", Map.of("type", "string"))).toList();
        if (!parameters.isEmpty()) {
            o.put("parameters", parameters);
        }
        if (op.request() != null) {
            o.put("requestBody", Map.of("required", true,
                    "content", Map.of("application/json", Map.of("schema", ApiSchemas.ref(op.request())))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        Map<String, Object> success = new LinkedHashMap<>();
        success.put("description", route.webSocket() ? "Switching protocols" : "Success");
        if (op.response() != null) {
            success.put("content", Map.of(op.produces(), Map.of("schema", ApiSchemas.ref(op.response()))));
        } else if (!route.webSocket()) {
            success.put("content", Map.of(op.produces(), Map.of("schema", Map.of("type", "string"))));
        }
        responses.put(String.valueOf(route.webSocket() ? 101 : op.status()), success);
        String errorSchema = op.tag().equals("jupyter") ? "JupyterError" : "Message";
        responses.put("default", Map.of("description", "A refusal: what was wrong and what to do",
                "content", Map.of("application/json", Map.of("schema", ApiSchemas.ref(errorSchema)))));
        o.put("responses", responses);
        return o;
    }

    private static String operationId(ApiRoute route) {
        StringBuilder id = new StringBuilder(route.method());
        for (String part : route.openApiPath().split("[/{}_]+")) {
            if (!part.isEmpty()) {
                id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return id.toString();
    }
}
