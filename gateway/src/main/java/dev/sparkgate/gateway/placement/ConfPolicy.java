package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.errors.ConfNotAllowed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which Spark confs a user may set on a session. What places the driver and its executors (the master, the
 * namespace, the service account and credentials, the driver's address and ports, the gateway's own labels) is the
 * operator's; an operator may open more ({@code SPARKGATE_CONF_ALLOW}) or close more ({@code SPARKGATE_CONF_DENY}).
 * Patterns are conf names with {@code *} wildcards.
 */
public final class ConfPolicy {

    static final List<String> DEFAULT_DENY = List.of("spark.master", "spark.submit.deployMode",
            "spark.kubernetes.namespace", "spark.kubernetes.authenticate.*", "spark.kubernetes.context",
            "spark.kubernetes.driver.pod.name", "spark.kubernetes.driver.master", "spark.driver.host",
            "spark.driver.bindAddress", "spark.driver.port", "spark.blockManager.port",
            "spark.kubernetes.executor.label.sparkgate.dev/*", "spark.kubernetes.executor.podNamePrefix",
            "spark.repl.class.outputDir",
            // A driver in a pod of its own: its image, identity, files and the gateway's labels are the operator's.
            // A pod template or a volume could mount what the driver must not read (a host path, another Secret).
            "spark.kubernetes.driver.container.image", "spark.kubernetes.driver.podTemplateFile",
            "spark.kubernetes.driver.podTemplateContainerName", "spark.kubernetes.driver.volumes.*",
            "spark.kubernetes.driver.secrets.*", "spark.kubernetes.driver.secretKeyRef.*",
            "spark.kubernetes.driver.label.sparkgate.dev/*", "spark.kubernetes.driver.label.spark-role");

    private final List<Pattern> deny;
    private final List<Pattern> allow;

    ConfPolicy(List<String> deny, List<String> allow) {
        this.deny = deny.stream().map(ConfPolicy::glob).toList();
        this.allow = allow.stream().map(ConfPolicy::glob).toList();
    }

    public static ConfPolicy fromEnvironment(Map<String, String> env) {
        List<String> deny = new ArrayList<>(DEFAULT_DENY);
        deny.addAll(list(env.get("SPARKGATE_CONF_DENY")));
        return new ConfPolicy(deny, list(env.get("SPARKGATE_CONF_ALLOW")));
    }

    /** Refuses the first conf the user may not set, naming it and the operator setting that would allow it. */
    public void check(Map<String, String> userConf) {
        for (String key : userConf.keySet()) {
            boolean allowed = allow.stream().anyMatch(p -> p.matcher(key).matches());
            if (!allowed && deny.stream().anyMatch(p -> p.matcher(key).matches())) {
                throw new ConfNotAllowed(key, "'" + key + "' is set by the gateway's operator and may not be changed by a "
                        + "session. Leave it out, or ask the operator to allow it (SPARKGATE_CONF_ALLOW).");
            }
        }
    }

    private static List<String> list(String text) {
        return text == null || text.isBlank() ? List.of()
                : Arrays.stream(text.split("[,\\n]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Pattern glob(String pattern) {
        return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .reduce((a, b) -> a + ".*" + b).orElse(""));
    }
}
