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

    /**
     * Puts the calling thread's Spark jobs in a cell's job group and tags them with its name, replacing the previous
     * cell's tag: what {@code sc.setJobGroup}, {@code sc.removeJobTag} and {@code sc.addJobTag} do from Python, in one
     * Py4J round trip instead of three, on every cell. Job groups and tags are the thread's local properties; with
     * PySpark's pinned threads, Py4J runs this on the JVM thread paired with the calling Python thread, as it runs
     * those calls.
     *
     * @param previousTag the tag the last cell added on this thread, or null
     */
    public void startCell(String jobGroup, String description, String previousTag) {
        javaSparkContext.setJobGroup(jobGroup, description, true);
        if (previousTag != null) {
            javaSparkContext.sc().removeJobTag(previousTag);
        }
        javaSparkContext.sc().addJobTag(jobGroup);
    }
}
