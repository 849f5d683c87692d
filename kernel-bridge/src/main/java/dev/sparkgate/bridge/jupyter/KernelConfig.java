package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.protocol.Kind;
import dev.sparkgate.jupyter.KernelSpec;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Sparkgate kernel is told by its kernelspec's {@code env}: which gateway, with which token, which kind of
 * session, and optionally a session to attach to by name and Spark confs for a session it creates.
 *
 * @param problem why the kernel cannot work, for the user; null when the configuration is sound
 */
record KernelConfig(URI gateway, String token, KernelSpec spec, String sessionName, Map<String, String> sessionConf,
                    String problem) {

    static final String GATEWAY_URL = "SPARKGATE_GATEWAY_URL";
    static final String TOKEN = "SPARKGATE_TOKEN";
    static final String KIND = "SPARKGATE_KERNEL_KIND";
    static final String SESSION_NAME = "SPARKGATE_SESSION_NAME";
    static final String SESSION_CONF = "SPARKGATE_SESSION_CONF";

    static KernelConfig fromEnvironment(Map<String, String> env) {
        Kind kind = Kind.parse(env.get(KIND)).filter(k -> k != Kind.shared).orElse(null);
        KernelSpec spec = KernelSpec.forKind(kind == null ? KernelSpec.DEFAULT.kind() : kind);
        String name = blankToNull(env.get(SESSION_NAME));
        String token = blankToNull(env.get(TOKEN));
        Map<String, String> conf;
        try {
            conf = parseConf(env.getOrDefault(SESSION_CONF, ""));
        } catch (IllegalArgumentException e) {
            return new KernelConfig(null, token, spec, name, Map.of(), e.getMessage());
        }
        if (kind == null) {
            return new KernelConfig(null, token, spec, name, conf, KIND + " is '" + env.get(KIND)
                    + "' in this kernel's kernelspec; it must be pyspark, spark or sql. Reinstall the kernelspecs.");
        }
        String url = blankToNull(env.get(GATEWAY_URL));
        if (url == null) {
            return new KernelConfig(null, token, spec, name, conf, "This kernel does not know its Sparkgate gateway: "
                    + "its kernelspec sets no " + GATEWAY_URL + ". Reinstall the kernelspecs with --gateway URL.");
        }
        try {
            URI gateway = URI.create(url.endsWith("/") ? url : url + "/");
            if (gateway.getScheme() == null || !gateway.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return new KernelConfig(gateway, token, spec, name, conf, null);
        } catch (IllegalArgumentException e) {
            return new KernelConfig(null, token, spec, name, conf, GATEWAY_URL + " is '" + url
                    + "', which is not a gateway URL like http://sparkgate.example.com:8998.");
        }
    }

    /** {@code key=value} pairs separated by commas. */
    static Map<String, String> parseConf(String text) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(SESSION_CONF + ": '" + pair.strip() + "' is not key=value; "
                        + "write e.g. spark.executor.memory=2g,spark.executor.instances=2");
            }
            conf.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return conf;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
