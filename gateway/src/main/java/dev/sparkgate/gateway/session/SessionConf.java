package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.versions.VersionCheck;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session's Spark confs before placement: the operator's defaults, then the user's confs, then Livy's resource
 * fields (which name Spark confs). Sparkgate's own setting among them ({@link VersionCheck#OVERRIDE_CONF}) is
 * taken out here, so it never reaches Spark.
 *
 * @param sparkConf            the confs, in that order of precedence
 * @param versionCheckWarnOnly whether the user asked a refused version check only to warn
 */
public record SessionConf(Map<String, String> sparkConf, boolean versionCheckWarnOnly) {

    public static SessionConf of(SessionRequest request, Map<String, String> operatorDefaults) {
        Map<String, String> conf = new LinkedHashMap<>(operatorDefaults);
        conf.putAll(request.conf());
        putIf(conf, "spark.executor.memory", request.executorMemory());
        putIf(conf, "spark.executor.cores", request.executorCores());
        putIf(conf, "spark.executor.instances", request.numExecutors());
        putIf(conf, "spark.driver.cores", request.driverCores());
        putIf(conf, "spark.driver.memory", request.driverMemory());
        putIf(conf, "spark.jars", String.join(",", request.jars()));
        putIf(conf, "spark.submit.pyFiles", String.join(",", request.pyFiles()));
        putIf(conf, "spark.files", String.join(",", request.files()));
        putIf(conf, "spark.archives", String.join(",", request.archives()));
        String versionCheck = conf.remove(VersionCheck.OVERRIDE_CONF);
        if (versionCheck != null && !versionCheck.equals("warn") && !versionCheck.equals("enforce")) {
            throw new BadRequest("'" + VersionCheck.OVERRIDE_CONF + "' is 'enforce' (the default) or 'warn', not '"
                    + versionCheck + "'.");
        }
        return new SessionConf(conf, "warn".equals(versionCheck));
    }

    private static void putIf(Map<String, String> conf, String key, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            conf.put(key, value.toString());
        }
    }
}
