package dev.sparkgate.gateway;

import dev.sparkgate.gateway.admission.AdmissionLimits;
import dev.sparkgate.gateway.admission.Machine;
import dev.sparkgate.gateway.identity.IdentitySettings;
import dev.sparkgate.gateway.kubernetes.KubernetesSettings;
import dev.sparkgate.gateway.kubernetes.driverpod.DriverPodSettings;
import dev.sparkgate.gateway.placement.ConfPolicy;
import dev.sparkgate.gateway.session.Durations;
import dev.sparkgate.gateway.session.SessionSettings;
import dev.sparkgate.protocol.SessionSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's settings, read once at start from the environment ({@code SPARKGATE_*}).
 *
 * @param host          address to bind; loopback unless the operator opens it up
 * @param port          0 picks a free port (tests)
 * @param token         when set, every route requires it
 * @param driverHome    the driver runtime: {@code sparkgate-driver.jar} and {@code lib/}
 * @param sparkJars     a Spark distribution's {@code jars/} that drivers run on, or null for the bundled Spark
 * @param workDir       per-session working directories of driver JVMs
 * @param sparkDefaults Spark confs every session starts from (users may add their own on top)
 * @param python        how drivers find Python and PySpark
 * @param driverPythons the driver Pythons to choose from by the executor image's Python; empty: look on the PATH
 * @param imageCatalog  the operator's declared image versions, or null
 * @param kubernetes    the cluster executors run on, when there is one
 * @param confPolicy    which Spark confs users may set
 * @param driverPods    where drivers run: null beside the gateway (local placement), else in pods of their own with
 *                      these settings ({@code SPARKGATE_PLACEMENT=local|pod}; pod by default in a cluster)
 * @param metricsToken  a token that opens {@code /metrics} only, for a scraper; or null
 * @param streamClientBacklogBytes how much a stream client may leave unread before it is cut off
 * @param identity      the ways in besides the token, admins and impersonators ({@link IdentitySettings})
 * @param admission     limits per user and for the gateway ({@code SPARKGATE_USER_MAX_*}, {@code SPARKGATE_MAX_*})
 * @param recoveryTimeout how long a restarted gateway waits for a found session's driver to dial back
 * @param keepSessionsOnStop whether a gateway that is stopped (SIGTERM, Ctrl-C) leaves its sessions running for the
 *                      next one to take back, rather than stopping them
 * @param warmSessions  drivers kept started and warm ahead of sessions ({@code SPARKGATE_WARM_SESSIONS}: {@code N} per
 *                      runtime, or {@code 3.5=1,4.1=1}); empty for none. Local placement without a cluster only.
 */
public record GatewayConfig(String host, int port, String token, Path driverHome, Path sparkJars, Path workDir,
                            Map<String, String> sparkDefaults, String driverMemory, int sqlRowCap,
                            Duration driverStartTimeout, Duration sessionIdleTimeout,
                            SessionSpec.PythonSettings python, List<String> driverPythons, Path imageCatalog,
                            KubernetesSettings kubernetes, ConfPolicy confPolicy, DriverPodSettings driverPods,
                            String metricsToken, long streamClientBacklogBytes, IdentitySettings identity,
                            AdmissionLimits admission, Duration recoveryTimeout, boolean keepSessionsOnStop,
                            String warmSessions) {

    public static final int DEFAULT_PORT = 8998;

    public static GatewayConfig fromEnvironment(Map<String, String> env) {
        return new GatewayConfig(
                env.getOrDefault("SPARKGATE_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("SPARKGATE_PORT", String.valueOf(DEFAULT_PORT))),
                blankToNull(env.get("SPARKGATE_TOKEN")),
                env.containsKey("SPARKGATE_DRIVER_HOME") ? Path.of(env.get("SPARKGATE_DRIVER_HOME")) : null,
                env.containsKey("SPARKGATE_SPARK_JARS") ? Path.of(env.get("SPARKGATE_SPARK_JARS")) : null,
                Path.of(env.getOrDefault("SPARKGATE_WORK_DIR",
                        Path.of(System.getProperty("java.io.tmpdir"), "sparkgate").toString())),
                parseConf(env.getOrDefault("SPARKGATE_SPARK_CONF", "")),
                env.getOrDefault("SPARKGATE_DRIVER_MEMORY", "1g"),
                Integer.parseInt(env.getOrDefault("SPARKGATE_SQL_ROW_CAP", String.valueOf(SessionSpec.DEFAULT_SQL_ROW_CAP))),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("SPARKGATE_DRIVER_START_TIMEOUT_SECONDS", "180"))),
                Durations.parse(env.getOrDefault("SPARKGATE_SESSION_IDLE_TIMEOUT", "1h"), "SPARKGATE_SESSION_IDLE_TIMEOUT"),
                new SessionSpec.PythonSettings(env.getOrDefault("SPARKGATE_PYTHON", "python3"), env.get("SPARK_HOME"),
                        Boolean.parseBoolean(env.getOrDefault("SPARKGATE_PYTHON_WITHOUT_PYSPARK", "false"))),
                Arrays.stream(env.getOrDefault("SPARKGATE_DRIVER_PYTHONS", "").split(","))
                        .map(String::trim).filter(p -> !p.isEmpty()).toList(),
                env.containsKey("SPARKGATE_IMAGE_CATALOG") ? Path.of(env.get("SPARKGATE_IMAGE_CATALOG")) : null,
                KubernetesSettings.fromEnvironment(env), ConfPolicy.fromEnvironment(env),
                placement(env) ? DriverPodSettings.fromEnvironment(env) : null,
                blankToNull(env.get("SPARKGATE_METRICS_TOKEN")),
                mebibytes(env.getOrDefault("SPARKGATE_STREAM_CLIENT_BACKLOG_MIB", "16"), "SPARKGATE_STREAM_CLIENT_BACKLOG_MIB"),
                IdentitySettings.fromEnvironment(env),
                AdmissionLimits.fromEnvironment(env, !placement(env), Machine.current(),
                        env.getOrDefault("SPARKGATE_DRIVER_MEMORY", "1g")),
                Durations.parse(env.getOrDefault("SPARKGATE_RECOVERY_TIMEOUT", "60s"), "SPARKGATE_RECOVERY_TIMEOUT"),
                keepSessions(env),
                env.getOrDefault("SPARKGATE_WARM_SESSIONS", ""));
    }

    /**
     * Whether a stopped gateway leaves its sessions running ({@code SPARKGATE_KEEP_SESSIONS_ON_STOP}): by default not
     * on the embedded default, where Ctrl-C in a terminal should stop what that gateway started; by default so with
     * pod placement, where SIGTERM is a rollout and an upgrade must be a restart. A crash loses nothing either way:
     * drivers wait for the next gateway.
     */
    static boolean keepSessions(Map<String, String> env) {
        String keep = env.getOrDefault("SPARKGATE_KEEP_SESSIONS_ON_STOP", String.valueOf(placement(env))).strip();
        return switch (keep) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("SPARKGATE_KEEP_SESSIONS_ON_STOP is '" + keep + "': use true "
                    + "(a stopped gateway leaves its sessions for the next one) or false (it stops them).");
        };
    }

    /** Whether drivers go in pods of their own: asked for, or by default when the gateway itself runs in a pod. */
    static boolean placement(Map<String, String> env) {
        String placement = env.getOrDefault("SPARKGATE_PLACEMENT", env.containsKey("KUBERNETES_SERVICE_HOST") ? "pod" : "local");
        return switch (placement) {
            case "pod" -> true;
            case "local" -> false;
            default -> throw new IllegalArgumentException("SPARKGATE_PLACEMENT is '" + placement + "': use local "
                    + "(drivers as processes beside the gateway) or pod (each driver in a pod of its own).");
        };
    }

    private static long mebibytes(String text, String name) {
        try {
            long mib = Long.parseLong(text.strip());
            if (mib > 0) {
                return mib << 20;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " is '" + text + "': give a whole number of MiB above 0, e.g. 16");
    }

    /** {@code key=value} pairs separated by commas or new lines, as an environment variable can carry them. */
    static Map<String, String> parseConf(String text) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String pair : text.split("[,\\n]")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("SPARKGATE_SPARK_CONF: '" + pair.strip()
                        + "' is not key=value; write e.g. spark.executor.memory=2g,spark.sql.shuffle.partitions=8");
            }
            conf.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return conf;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** What the session core needs of these settings. */
    public SessionSettings sessionSettings() {
        return new SessionSettings(sparkDefaults, confPolicy, sqlRowCap, python, driverStartTimeout, sessionIdleTimeout,
                recoveryTimeout);
    }

    public boolean loopbackOnly() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }
}
