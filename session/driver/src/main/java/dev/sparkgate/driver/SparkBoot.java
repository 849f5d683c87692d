package dev.sparkgate.driver;

import dev.sparkgate.protocol.SessionSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

/** Creates the session's SparkSession in client mode from the spec's effective configuration. */
final class SparkBoot {

    static final String PROXY_BASE = "spark.ui.proxyBase";

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
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
