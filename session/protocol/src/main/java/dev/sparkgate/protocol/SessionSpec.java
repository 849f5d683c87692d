package dev.sparkgate.protocol;

import java.util.Map;

/**
 * What a driver needs to start its session: handed from the gateway to the driver JVM at launch.
 * {@code sparkConf} is the effective Spark configuration (operator defaults, then the user's allowed confs).
 */
public record SessionSpec(int id, String name, Kind kind, String owner, Map<String, String> sparkConf, int sqlRowCap,
                          PythonSettings python) {

    public static final int DEFAULT_SQL_ROW_CAP = 1000;

    /**
     * How the driver finds its Python. The session's driver Python is {@code spark.pyspark.driver.python} from
     * {@code sparkConf}, then {@code PYSPARK_DRIVER_PYTHON}, then {@code PYSPARK_PYTHON}, then {@code defaultPython}.
     * PySpark's Python side comes from {@code sparkHome} ({@code python/} and {@code python/lib/py4j-*-src.zip}).
     * With {@code allowWithoutPySpark}, a Python whose PySpark is missing still runs plain Python, without
     * {@code spark} and {@code sc}; otherwise a {@code pyspark} session refuses to start.
     */
    public record PythonSettings(String defaultPython, String sparkHome, boolean allowWithoutPySpark) {

        public static PythonSettings defaults() {
            return new PythonSettings("python3", System.getenv("SPARK_HOME"), false);
        }
    }
}
