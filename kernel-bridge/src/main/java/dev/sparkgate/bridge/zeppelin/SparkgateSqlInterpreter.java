package dev.sparkgate.bridge.zeppelin;

import java.util.Properties;

/** {@code %sparkgate.sql}: Spark SQL; results come back as Zeppelin tables. Views are shared with Scala and Python. */
public final class SparkgateSqlInterpreter extends SparkgateInterpreter {

    public SparkgateSqlInterpreter(Properties properties) {
        super(properties);
    }

    @Override
    protected String kind() {
        return "sql";
    }

    /** Zeppelin's simple forms: {@code ${name=default}} in a query becomes an input field. */
    @Override
    public FormType getFormType() {
        return FormType.SIMPLE;
    }
}
