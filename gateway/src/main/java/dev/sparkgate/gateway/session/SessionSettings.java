package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.placement.ConfPolicy;
import dev.sparkgate.protocol.SessionSpec;

import java.time.Duration;
import java.util.Map;

/**
 * The operator's settings for sessions.
 *
 * @param sparkDefaults Spark confs every session starts from (users may add their own on top)
 * @param confPolicy    which Spark confs users may set
 * @param sqlRowCap     rows a SQL result shows at most
 * @param python        how drivers find Python and PySpark
 * @param startTimeout  how long a driver may take to become ready
 * @param idleTimeout   how long a session may sit idle unless it asks otherwise (zero: forever)
 * @param recoveryTimeout how long a restarted gateway waits for a found session's driver to dial back
 */
public record SessionSettings(Map<String, String> sparkDefaults, ConfPolicy confPolicy, int sqlRowCap,
                              SessionSpec.PythonSettings python, Duration startTimeout, Duration idleTimeout,
                              Duration recoveryTimeout) {
}
