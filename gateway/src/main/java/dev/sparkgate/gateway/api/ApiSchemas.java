package dev.sparkgate.gateway.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies the routes take and give, as OpenAPI schemas, by the names {@link Operation}s use. They follow
 * the records they are written from ({@code SessionView}, {@code LivyStatement}, ...) and Livy's REST reference;
 * {@code additionalProperties} stays open, as clients must tolerate fields they do not know.
 */
public final class ApiSchemas {

    private ApiSchemas() {
    }

    public static Map<String, Object> all() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Message", object("A refusal or an acknowledgement: Livy's {\"msg\"}, with what was wrong and what to do",
                Map.of("msg", string())));
        s.put("Version", object("Livy's version answer", Map.of("version", string(), "revision", string())));
        s.put("CreateSession", object("Livy's session request, and Sparkgate's idleTimeout and sharing", props(
                "kind", enumOf("spark", "pyspark", "sql", "shared"), "name", string(), "proxyUser", string(),
                "conf", stringMap(), "driverMemory", string(), "driverCores", integer(),
                "executorMemory", string(), "executorCores", integer(), "numExecutors", integer(),
                "jars", strings(), "pyFiles", strings(), "files", strings(), "archives", strings(),
                "queue", string(), "ttl", string(), "idleTimeout", string(), "viewUsers", strings(),
                "viewGroups", strings(), "modifyUsers", strings(), "modifyGroups", strings())));
        s.put("Session", object("A session as Livy shows it, plus driver, executors and version verdict", props(
                "id", integer(), "name", nullable(string()), "appId", nullable(string()), "owner", nullable(string()),
                "state", enumOf("not_started", "starting", "idle", "busy", "shutting_down", "error", "dead", "killed",
                        "success", "running", "recovering"),
                "kind", string(), "appInfo", object("Where the driver's log and Spark UI are (through the gateway)",
                        props("driverLogUrl", nullable(string()), "sparkUiUrl", nullable(string()))),
                "log", strings(), "conf", stringMap(), "createdAt", integer(),
                "driver", nullable(object("The driver once ready", Map.of())),
                "executors", array(object("An executor pod", props("name", string(), "state", nullable(string()),
                        "podIP", nullable(string())))),
                "versions", nullable(object("The version check's verdict", Map.of())),
                "sharing", object("Who besides the owner may see (view) or also drive (modify) the session",
                        props("viewUsers", strings(), "viewGroups", strings(), "modifyUsers", strings(),
                                "modifyGroups", strings())))));
        s.put("SessionList", object("Livy's session list", props("from", integer(), "total", integer(),
                "sessions", array(ref("Session")))));
        s.put("SessionState", object("A session's state", props("id", integer(), "state", string())));
        s.put("Log", object("A slice of the driver's log", props("id", integer(), "from", integer(),
                "total", integer(), "log", strings())));
        s.put("SubmitStatement", object("A statement: code, and its kind in a shared session",
                props("code", string(), "kind", enumOf("spark", "pyspark", "sql"))));
        s.put("Statement", object("Livy's statement: state, output and progress", props("id", integer(),
                "code", string(), "state", enumOf("waiting", "running", "available", "error", "cancelling",
                        "cancelled"),
                "output", nullable(object("Livy's output: status, execution_count, data or ename/evalue/traceback",
                        Map.of())),
                "progress", number(), "started", integer(), "completed", integer())));
        s.put("StatementList", object("A session's statements", props("total_statements", integer(),
                "statements", array(ref("Statement")))));
        s.put("CompletionRequest", object("Code and a cursor to complete at", props("code", string(),
                "cursor", integer(), "kind", string())));
        s.put("Completion", object("Completion candidates and the range they replace", props(
                "candidates", strings(), "cursor_start", integer(), "cursor_end", integer())));
        s.put("VersionVerdict", object("Whether the driver and an executor image can run one session, naming both "
                + "sides' Spark, Python and Java and the fix", Map.of()));
        s.put("KernelSpecs", object("Jupyter's kernel specs", props("default", string(),
                "kernelspecs", object("By name", Map.of()))));
        s.put("KernelSpec", object("One kernel spec", props("name", string(), "spec", object("", Map.of()))));
        s.put("StartKernel", object("Jupyter's kernel start request", props("name", string(), "env", stringMap())));
        s.put("Kernel", object("A kernel (a Sparkgate session named by its id)", props("id", string(),
                "name", string(), "last_activity", string(), "execution_state", string(), "connections", integer())));
        s.put("KernelList", array(ref("Kernel")));
        s.put("JupyterError", object("Jupyter's refusal", props("message", string(), "reason", string())));
        s.put("Health", object("Alive or ready, and why not", props("status", enumOf("ok", "unavailable"),
                "checks", object("Each readiness check: ok, or what is wrong", Map.of()))));
        return s;
    }

    static Map<String, Object> ref(String name) {
        return Map.of("$ref", "#/components/schemas/" + name);
    }

    private static Map<String, Object> object(String description, Map<String, Object> properties) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("type", "object");
        if (!description.isEmpty()) {
            o.put("description", description);
        }
        if (!properties.isEmpty()) {
            o.put("properties", properties);
        }
        return o;
    }

    /** Properties in the order given: pairs of name and schema. */
    private static Map<String, Object> props(Object... pairs) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            p.put((String) pairs[i], pairs[i + 1]);
        }
        return p;
    }

    private static Map<String, Object> string() {
        return Map.of("type", "string");
    }

    private static Map<String, Object> integer() {
        return Map.of("type", "integer");
    }

    private static Map<String, Object> number() {
        return Map.of("type", "number");
    }

    private static Map<String, Object> strings() {
        return array(string());
    }

    private static Map<String, Object> array(Map<String, Object> items) {
        return Map.of("type", "array", "items", items);
    }

    private static Map<String, Object> stringMap() {
        return Map.of("type", "object", "additionalProperties", string());
    }

    private static Map<String, Object> enumOf(String... values) {
        return Map.of("type", "string", "enum", List.of(values));
    }

    private static Map<String, Object> nullable(Map<String, Object> schema) {
        Map<String, Object> n = new LinkedHashMap<>(schema);
        n.put("nullable", true);
        return n;
    }
}
