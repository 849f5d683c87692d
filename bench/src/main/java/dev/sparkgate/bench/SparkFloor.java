package dev.sparkgate.bench;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's own floor for a session's start: a SparkSession in client mode created directly, in a JVM of its own,
 * against a Kubernetes master, as a session's driver creates one, but with no gateway, pod, REPL or link. It prints
 * when its {@code main} began and when {@code getOrCreate()} returned with every executor registered, as epoch
 * milliseconds on stdout (Spark's own log goes to stderr); then it stops Spark, which deletes its executor pods.
 * {@link PodSessionStart} starts it, on the driver runtime's jars.
 *
 * <p>Usage: {@code SparkFloor MASTER EXECUTORS key=value...} (Spark confs)
 */
public final class SparkFloor {

    static final String MAIN = "floor-main ";
    static final String READY = "floor-ready ";

    private SparkFloor() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(MAIN + System.currentTimeMillis());
        int executors = Integer.parseInt(args[1]);
        SparkConf conf = new SparkConf(false).setMaster(args[0]).setAppName("sparkgate-bench-floor")
                .set("spark.submit.deployMode", "client")
                .set("spark.executor.instances", Integer.toString(executors));
        for (int i = 2; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            conf.set(pair[0], pair[1]);
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        // getOrCreate() waits for spark.scheduler.minRegisteredResourcesRatio of them, for at most
        // ...maxRegisteredResourcesWaitingTime: make sure the floor is "every executor registered", as the session's is.
        while (registered(spark) < executors) {
            Thread.sleep(20);
        }
        System.out.println(READY + System.currentTimeMillis() + " registered=" + registered(spark));
        spark.stop();
    }

    private static int registered(SparkSession spark) {
        // Every block manager but the driver's.
        return spark.sparkContext().getExecutorMemoryStatus().size() - 1;
    }
}
