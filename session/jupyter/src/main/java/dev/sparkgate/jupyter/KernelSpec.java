package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.Kind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernels Sparkgate offers Jupyter, one per session kind: what a kernelspec ({@code kernel.json}) says about
 * each, and the {@code language_info} its kernel reports. The installed kernelspecs and the gateway's
 * {@code /api/kernelspecs} both come from here, so the two can never disagree.
 */
public record KernelSpec(String name, String displayName, Kind kind, Map<String, Object> languageInfo) {

    public static final KernelSpec PYSPARK = new KernelSpec("sparkgate_pyspark", "PySpark on Sparkgate", Kind.pyspark,
            languageInfo("python", "3", "text/x-python", ".py", "ipython3", Map.of("name", "ipython", "version", 3)));
    public static final KernelSpec SCALA = new KernelSpec("sparkgate_scala", "Scala on Sparkgate", Kind.spark,
            languageInfo("scala", "2.12", "text/x-scala", ".scala", "scala", "text/x-scala"));
    public static final KernelSpec SQL = new KernelSpec("sparkgate_sql", "SQL on Sparkgate", Kind.sql,
            languageInfo("sql", "", "text/x-sql", ".sql", "sql", "sql"));

    public static final List<KernelSpec> ALL = List.of(PYSPARK, SCALA, SQL);

    /** What a client gets when it names no kernel: notebooks are mostly Python. */
    public static final KernelSpec DEFAULT = PYSPARK;

    /** The small logo Jupyter shows in its launcher ({@code logo-svg.svg}), a spark on a gate. */
    public static final String LOGO_SVG = """
            <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
              <rect x="6" y="10" width="8" height="48" rx="2" fill="#37474f"/>
              <rect x="50" y="10" width="8" height="48" rx="2" fill="#37474f"/>
              <rect x="14" y="22" width="36" height="6" fill="#607d8b"/>
              <rect x="14" y="40" width="36" height="6" fill="#607d8b"/>
              <path d="M32 4 L36 16 L48 18 L38 25 L41 37 L32 30 L23 37 L26 25 L16 18 L28 16 Z" fill="#e25a1c"/>
            </svg>
            """;

    public static Optional<KernelSpec> named(String name) {
        return ALL.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    public static KernelSpec forKind(Kind kind) {
        return ALL.stream().filter(spec -> spec.kind() == kind).findFirst().orElseThrow(() ->
                new IllegalArgumentException("No Jupyter kernel for sessions of kind " + kind
                        + ": use pyspark, spark (Scala) or sql."));
    }

    /** The language's name as a kernelspec's {@code language} field and Jupyter's language menus know it. */
    public String language() {
        return (String) languageInfo.get("name");
    }

    /**
     * The kernelspec document ({@code kernel.json}). Interrupts arrive as {@code interrupt_request} messages: a JVM
     * is a poor target for SIGINT, and the Kernel Gateway API has no process to signal anyway.
     */
    public Map<String, Object> kernelJson(List<String> argv, Map<String, String> env) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("argv", argv);
        json.put("display_name", displayName);
        json.put("language", language());
        json.put("interrupt_mode", "message");
        json.put("env", env);
        json.put("metadata", Map.of("sparkgate", Map.of("kind", kind.name())));
        return json;
    }

    private static Map<String, Object> languageInfo(String name, String version, String mimetype, String extension,
                                                    String pygments, Object codemirror) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("version", version);
        info.put("mimetype", mimetype);
        info.put("file_extension", extension);
        info.put("pygments_lexer", pygments);
        info.put("codemirror_mode", codemirror);
        return info;
    }
}
