package dev.sparkgate.driver;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

import java.util.Map;

/**
 * A pooled driver on Kubernetes starts its SparkContext with no executors ({@code spark.executor.instances=0}, set by
 * the pool): its executor confs would name no session. When a session takes it, the confs that name executors after
 * their session (labels, annotations, the pod name prefix: {@code spark.kubernetes.executor.*}) are set to the
 * session's on the running context, which Spark's pod allocator reads at each request, and then the session's
 * executors are asked for.
 */
final class PooledExecutors {

    static final String PREFIX = "spark.kubernetes.executor.";
    /** Spark on Kubernetes starts this many executors when a session names none. */
    private static final int SPARK_DEFAULT_INSTANCES = 2;

    private PooledExecutors() {
    }

    /** Returns how many executors were asked for (none off Kubernetes). */
    static int request(SparkContext sc, Map<String, String> sessionConf) {
        if (!sc.master().startsWith("k8s://")) {
            return 0;
        }
        // SparkContext.conf() is Spark's own, live conf (getConf() is a copy): the allocator reads it per request.
        SparkConf live = sc.conf();
        sessionConf.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                live.set(key, value);
            }
        });
        String asked = sessionConf.get("spark.executor.instances");
        int instances = asked == null ? SPARK_DEFAULT_INSTANCES : Integer.parseInt(asked.strip());
        if (instances > 0) {
            sc.requestExecutors(instances);
        }
        return instances;
    }
}
