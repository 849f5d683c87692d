package dev.sparkgate.bridge.zeppelin;

import java.util.Properties;

/** {@code %sparkgate.spark}: Scala, with {@code spark} and {@code sc}. It holds its Zeppelin session's shared session. */
public final class SparkgateSparkInterpreter extends SparkgateInterpreter {

    public SparkgateSparkInterpreter(Properties properties) {
        super(properties);
    }

    @Override
    protected String kind() {
        return "spark";
    }
}
