package dev.sparkgate.protocol;

import java.util.Map;

/**
 * What a driver needs to start its session: handed from the gateway to the driver JVM at launch.
 * {@code sparkConf} is the effective Spark configuration (operator defaults, then the user's allowed confs).
 */
public record SessionSpec(int id, String name, Kind kind, String owner, Map<String, String> sparkConf, int sqlRowCap) {

    public static final int DEFAULT_SQL_ROW_CAP = 1000;
}
