package dev.sparkgate.bridge.zeppelin;

import java.util.Properties;

/** {@code %sparkgate.pyspark}: Python, with {@code spark} and {@code sc} where the gateway's Python has PySpark. */
public final class SparkgatePySparkInterpreter extends SparkgateInterpreter {

    public SparkgatePySparkInterpreter(Properties properties) {
        super(properties);
    }

    @Override
    protected String kind() {
        return "pyspark";
    }
}
