package dev.sparkgate.driver.python;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * What the session's Python finds behind {@code gateway.entry_point}: this driver's own SparkSession and
 * SparkContext, which PySpark wraps as {@code spark} and {@code sc}. Public because Py4J calls it by
 * reflection.
 */
public final class PySparkEntryPoint {

    private final SparkSession spark;
    private final JavaSparkContext javaSparkContext;

    PySparkEntryPoint(SparkSession spark) {
        this.spark = spark;
        this.javaSparkContext = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    public SparkSession sparkSession() {
        return spark;
    }

    public JavaSparkContext javaSparkContext() {
        return javaSparkContext;
    }
}
