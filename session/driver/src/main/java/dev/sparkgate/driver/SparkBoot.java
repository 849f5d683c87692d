package dev.sparkgate.driver;

import dev.sparkgate.protocol.SessionSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

/** Creates the session's SparkSession in client mode from the spec's effective configuration. */
final class SparkBoot {

    static final String PROXY_BASE = "spark.ui.proxyBase";
    /** Spark 4's classic (in-JVM) SparkSession; Spark 3.5's is {@link SparkSession} itself. */
    private static final String CLASSIC_SESSION = "org.apache.spark.sql.classic.SparkSession";

    private SparkBoot() {
    }

    static SparkSession start(SessionSpec spec, Path scalaClassDir) {
        SparkConf conf = new SparkConf(false);
        spec.sparkConf().forEach(conf::set);
        conf.setIfMissing("spark.master", "local[*]");
        if (conf.get("spark.master").startsWith("local")) {
            // The embedded default serves this machine only: keep the driver and its UI on loopback.
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.app.name", "sparkgate-" + (spec.name() != null ? spec.name() : "session-" + spec.id()));
        conf.set("spark.submit.deployMode", "client");
        // The Scala REPL writes its classes here; Spark must know it before the context starts so that executors
        // can load the classes of closures defined in cells.
        conf.set("spark.repl.class.outputDir", scalaClassDir.toString());
        // The console progress bar writes to stderr, which is the running statement's output: progress travels as
        // events instead.
        conf.set("spark.ui.showConsoleProgress", "false");
        // Any free port: the UI is reached through the gateway's proxy at the address the driver reports, and
        // Spark's default (4040, then 16 more) left the 18th driver on one machine unable to start at all.
        conf.setIfMissing("spark.ui.port", "0");
        conf.setIfMissing("spark.sql.catalogImplementation", "in-memory");
        // The UI is seen through the gateway's proxy at this path. Spark 3.5 reads it as a system property only
        // (UIUtils.uiRoot: links, and redirects such as / to /jobs/), not from the SparkConf, so it goes there too.
        if (conf.contains(PROXY_BASE)) {
            System.setProperty(PROXY_BASE, conf.get(PROXY_BASE));
        }
        return build(conf);
    }

    /**
     * Spark's classic SparkSession, built by its own builder. Spark 4's {@code SparkSession.builder()} (the API's)
     * first finds which implementation to build with Scala's runtime reflection, which costs a new JVM about 0.9 s
     * (Spark 4.1.1, bench's SessionBuilderCost: 944 ms median, against 7 ms for the classic builder, whose session is
     * the same class); and a session's {@code spark.api.mode=connect} would have it build a Spark Connect client,
     * which none of the interpreters can run on. Spark 3.5 has only the one builder.
     */
    static SparkSession build(SparkConf conf) {
        Class<?> classic;
        try {
            classic = Class.forName(CLASSIC_SESSION);
        } catch (ClassNotFoundException sparkThree) {
            return SparkSession.builder().config(conf).getOrCreate();
        }
        try {
            Object builder = classic.getMethod("builder").invoke(null);
            builder.getClass().getMethod("config", SparkConf.class).invoke(builder, conf);
            return (SparkSession) builder.getClass().getMethod("getOrCreate").invoke(builder);
        } catch (InvocationTargetException e) {
            // Spark's own failure (a port taken, a bad conf): the driver reports it as Spark's, not as reflection's
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                    + " has no classic SparkSession builder as Spark 4 does (" + CLASSIC_SESSION + ".builder()): " + e, e);
        }
    }
}
