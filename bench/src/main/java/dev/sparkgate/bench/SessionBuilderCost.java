package dev.sparkgate.bench;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a driver's SparkSession costs by the builder it is made with, each in a new JVM on a driver runtime's jars with
 * its class archive, as a session's driver starts: Spark's API builder ({@code SparkSession.builder()}) against Spark
 * 4's classic one ({@code org.apache.spark.sql.classic.SparkSession.builder()}, which the driver uses; Spark 3.5 has
 * only the first). The two run in turn, so a machine's drift falls on both. Prints a Markdown table of medians.
 *
 * <p>Usage: {@code SessionBuilderCost DRIVER_HOME [rounds, default 5]}, e.g. {@code gateway/target/driver-4.1}
 */
public final class SessionBuilderCost {

    static final String TIMES = "builder-times ";
    private static final List<String> BUILDERS = List.of("api", "classic");
    private static final List<String> PHASES = List.of("SparkConf", "builder", "getOrCreate", "in all");

    private SessionBuilderCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--one")) {
            one(args[1]);
            return;
        }
        Path runtime = Path.of(args[0]).toAbsolutePath();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Map<String, Map<String, List<Double>>> times = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String builder : BUILDERS) {
                Map<String, Double> run = run(runtime, builder);
                run.forEach((phase, ms) -> times.computeIfAbsent(builder, b -> new LinkedHashMap<>())
                        .computeIfAbsent(phase, p -> new ArrayList<>()).add(ms));
            }
        }
        System.out.println("| builder | n | " + String.join(" ms | ", PHASES) + " ms |");
        System.out.println("|---|---|" + "---|".repeat(PHASES.size()));
        times.forEach((builder, phases) -> {
            StringBuilder row = new StringBuilder("| " + builder + " | " + phases.get("in all").size() + " |");
            for (String phase : PHASES) {
                List<Double> samples = phases.get(phase);
                row.append(String.format(" %.0f (%.0f–%.0f) |", Samples.median(samples), Samples.min(samples),
                        Samples.max(samples)));
            }
            System.out.println(row);
        });
    }

    private static Map<String, Double> run(Path runtime, String builder) throws Exception {
        Process jvm = new ProcessBuilder(RuntimeJvm.command(runtime, "1g", true, SessionBuilderCost.class.getName(),
                List.of("--one", builder))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<String, Double> times = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(TIMES)) {
                    String[] ms = line.substring(TIMES.length()).split(" ");
                    for (int i = 0; i < PHASES.size(); i++) {
                        times.put(PHASES.get(i), Double.parseDouble(ms[i]));
                    }
                }
            }
        }
        if (jvm.waitFor() != 0 || times.isEmpty()) {
            throw new IllegalStateException("the " + builder + " builder's JVM failed (exit " + jvm.exitValue()
                    + "); run it by hand: " + String.join(" ", RuntimeJvm.command(runtime, "1g", true,
                    SessionBuilderCost.class.getName(), List.of("--one", builder))));
        }
        return times;
    }

    /** In the new JVM: one SparkSession on local[*], as a driver's conf has it, made by {@code builder}. */
    private static void one(String builder) throws Exception {
        long t0 = System.nanoTime();
        SparkConf conf = new SparkConf(false).setMaster("local[*]").setAppName("sparkgate-bench-builder")
                .set("spark.ui.enabled", "false").set("spark.sql.catalogImplementation", "in-memory")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        long t1 = System.nanoTime();
        // by reflection: the bench compiles against Spark 3.5, which has neither the classic builder nor its class
        Object made = builder.equals("classic")
                ? Class.forName("org.apache.spark.sql.classic.SparkSession").getMethod("builder").invoke(null)
                : SparkSession.builder();
        long t2 = System.nanoTime();
        made.getClass().getMethod("config", SparkConf.class).invoke(made, conf);
        SparkSession spark = (SparkSession) made.getClass().getMethod("getOrCreate").invoke(made);
        long t3 = System.nanoTime();
        System.out.printf("%s%.1f %.1f %.1f %.1f%n", TIMES, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6,
                (t3 - t0) / 1e6);
        spark.stop();
    }
}
