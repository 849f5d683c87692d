package dev.sparkgate.bench;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.protocol.DriverInfo;

import java.util.Map;

/**
 * The driver runtime a bench's sessions run: a Spark line the gateway carries ({@code 3.5}, {@code 4.1}), asked for
 * with the session conf {@code sparkgate.sparkVersion}, or none (the gateway's default, the newest). So one bench,
 * run once per line against the same gateway, compares the runtimes.
 *
 * @param line the line, or null for the gateway's default
 */
record SparkLine(String line) {

    static SparkLine of(String[] args, int index) {
        return new SparkLine(args.length > index && !args[index].isBlank() ? args[index] : null);
    }

    /** What creates a {@code shared} session on this line. */
    Map<String, Object> sharedSession() {
        return line == null ? Map.of("kind", "shared")
                : Map.of("kind", "shared", "conf", Map.of("sparkgate.sparkVersion", line));
    }

    /**
     * A {@code shared} session on this line that never takes a warm pool's driver: it has a conf of its own, which no
     * pooled driver has.
     */
    Map<String, Object> coldSession() {
        Map<String, Object> conf = new java.util.LinkedHashMap<>();
        conf.put("spark.sparkgate.bench", "cold");
        if (line != null) {
            conf.put("sparkgate.sparkVersion", line);
        }
        return Map.of("kind", "shared", "conf", conf);
    }

    /** The line a bench's result names: the Spark and Scala the session's driver reported. */
    static String describe(GatewayClient gateway, int session) {
        DriverInfo driver = gateway.session(String.valueOf(session)).driver();
        if (driver == null) {
            throw new IllegalStateException("session " + session + " shows no driver");
        }
        return "Spark " + driver.sparkVersion() + ", Scala " + driver.scalaVersion();
    }
}
