package dev.sparkgate.gateway.placement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a driver inherits of the gateway's environment: only the names a driver needs to run Java, Spark and Python.
 * Everything a cell can reach, every user of the session can read ({@code sys.env}, {@code os.environ}), so nothing
 * else of the gateway's passes: not its token, its kubeconfig or cloud credentials, nor another session's secret.
 * What the driver needs beyond this (its link, its secret file, a kubeconfig of its own) its placement adds by name.
 *
 * <p>An allow-list, not a deny-list: a deny-list has to know every secret an operator may ever export
 * ({@code AWS_*}, {@code GOOGLE_APPLICATION_CREDENTIALS}, {@code VAULT_TOKEN}, a CI's token, ...) and leaks the first
 * one it does not; an allow-list at worst misses a setting, which shows as a driver that behaves differently, not as
 * a key in a notebook.
 */
public final class DriverEnvironment {

    /** Names passed as the gateway has them. */
    static final Set<String> NAMES = Set.of(
            // the OS and the user the driver runs as
            "PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "LANG", "TZ",
            // Java and Spark
            "JAVA_HOME", "SPARK_HOME", "SPARK_LOCAL_IP", "SPARK_LOCAL_HOSTNAME",
            // the driver's Python, as DriverPython and the Python REPL read it
            "PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "PYTHONPATH", "MPLBACKEND",
            // how long the driver tries to dial the gateway, and waits for one to come back (operator's settings)
            "SPARKGATE_DRIVER_CONNECT_TIMEOUT", "SPARKGATE_DRIVER_ORPHAN_TIMEOUT");

    /** Families of names passed as the gateway has them: the locale's categories ({@code LC_ALL}, {@code LC_CTYPE}). */
    static final List<String> PREFIXES = List.of("LC_");

    private DriverEnvironment() {
    }

    /** The allowed part of {@code gateway}, the gateway's own environment; sorted, so a log of it reads well. */
    public static Map<String, String> inherited(Map<String, String> gateway) {
        Map<String, String> allowed = new TreeMap<>();
        gateway.forEach((name, value) -> {
            if (NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith)) {
                allowed.put(name, value);
            }
        });
        return new LinkedHashMap<>(allowed);
    }
}
