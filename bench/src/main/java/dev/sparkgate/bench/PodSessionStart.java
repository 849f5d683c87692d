package dev.sparkgate.bench;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.SessionStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Session start to {@code idle} with 2 executors on pod placement, against Spark's own floor on the same emulated
 * cluster: {@link SparkFloor}, a SparkSession with 2 executors created directly in client mode in a JVM of its own, on
 * the same driver runtime jars, heap and executor settings. Runs alternate (floor, session, floor, ...) so that both
 * see the same load. Both wait for every executor to register ({@code minRegisteredResourcesRatio=1.0}). For each
 * start, when its pods reached each milestone ({@link PodTimeline}) and, for the session, when its driver's log says
 * Spark began. Prints Markdown.
 *
 * <p>Usage: {@code PodSessionStart GATEWAY_URL KUBECONFIG DRIVER_RUNTIME_DIR [runs, default 3]
 * [executor image, default apache/spark:3.5.6]}
 */
public final class PodSessionStart {

    private static final int EXECUTORS = 2;
    private static final Duration START = Duration.ofMinutes(5);
    private static final String HEAP = "1g";
    private static final Map<String, String> SHARED_CONF = Map.of(
            "spark.executor.memory", "512m",
            "spark.scheduler.minRegisteredResourcesRatio", "1.0",
            "spark.scheduler.maxRegisteredResourcesWaitingTime", "300s");
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) ");

    static final String FLOOR_JVM = "JVM in main()";
    static final String DRIVER_LOG = "driver's first log4j line";
    static final String SPARK_START = "driver log: SparkContext starting";
    static final String READY = "ready: getOrCreate() returned (floor) / session idle";

    private final GatewayClient gateway;
    private final HttpClient http = HttpClient.newHttpClient();
    private final PodTimeline.Cluster cluster;
    private final Path runtime;
    private final String image;

    private PodSessionStart(URI base, String kubeconfig, Path runtime, String image) {
        this.gateway = new GatewayClient(base, null);
        this.cluster = PodTimeline.Cluster.of(kubeconfig);
        this.runtime = runtime.toAbsolutePath();
        this.image = image;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: PodSessionStart GATEWAY_URL KUBECONFIG DRIVER_RUNTIME_DIR "
                    + "[runs 3] [executor image apache/spark:3.5.6]");
        }
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String image = args.length > 4 ? args[4] : "apache/spark:3.5.6";
        new PodSessionStart(URI.create(args[0]), args[1], Path.of(args[2]), image).run(runs);
    }

    private void run(int runs) throws Exception {
        List<Map<String, Double>> floors = new ArrayList<>();
        List<Map<String, Double>> sessions = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            floors.add(floor(i));
            System.err.println("floor run " + i + ": " + floors.get(i));
            sessions.add(session());
            System.err.println("session run " + i + ": " + sessions.get(i));
        }
        List<Double> floorReady = values(floors, READY);
        List<Double> sessionReady = values(sessions, READY);
        System.out.println("| start until ready with 2 executors registered | n | median ms | min ms | max ms |");
        System.out.println("|---|---|---|---|---|");
        total("Spark's floor: new JVM, SparkSession.getOrCreate() returned", floorReady);
        total("Sparkgate session on pod placement: POST /sessions until `idle`", sessionReady);
        System.out.printf("%nRatio of medians, session / floor: %.2f (per run: %s)%n", Samples.median(sessionReady)
                / Samples.median(floorReady), ratios(sessionReady, floorReady));
        System.out.println();
        System.out.println("| milestone (ms after the start, median over runs) | session | floor |");
        System.out.println("|---|---|---|");
        for (String mark : List.of(PodTimeline.DRIVER_POD, PodTimeline.RUNTIME_COPIED, PodTimeline.DRIVER_RUNNING,
                FLOOR_JVM, DRIVER_LOG, SPARK_START, PodTimeline.EXECUTORS_ASKED, PodTimeline.EXECUTORS_RUNNING,
                READY)) {
            System.out.printf("| %s | %s | %s |%n", mark, cell(sessions, mark), cell(floors, mark));
        }
    }

    /** One floor start: a new JVM on the driver runtime, timed from its launch until getOrCreate() returned. */
    private Map<String, Double> floor(int run) throws Exception {
        List<String> command = new ArrayList<>(RuntimeJvm.command(runtime, HEAP, false, SparkFloor.class.getName(),
                List.of(cluster.masterUrl(), Integer.toString(EXECUTORS), "spark.kubernetes.container.image=" + image,
                        "spark.kubernetes.namespace=" + cluster.namespace(),
                        "spark.kubernetes.executor.podNamePrefix=bench-floor-" + run,
                        "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1")));
        SHARED_CONF.forEach((key, value) -> command.add(key + "=" + value));
        Path log = Path.of("bench", "target", "floor-" + run + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        long t0 = System.nanoTime();
        long epoch0 = System.currentTimeMillis();
        Map<String, Double> marks = new LinkedHashMap<>();
        try (PodTimeline timeline = new PodTimeline(cluster, t0, EXECUTORS)) {
            Process floor = new ProcessBuilder(command).redirectError(log.toFile()).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(floor.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(SparkFloor.MAIN)) {
                        marks.put(FLOOR_JVM, (double) (Long.parseLong(line.substring(SparkFloor.MAIN.length()))
                                - epoch0));
                    } else if (line.startsWith(SparkFloor.READY)) {
                        marks.put(READY, (System.nanoTime() - t0) / 1e6);
                    }
                }
            }
            if (!floor.waitFor(2, TimeUnit.MINUTES) || floor.exitValue() != 0 || !marks.containsKey(READY)) {
                floor.destroyForcibly();
                throw new IllegalStateException("the floor's SparkSession did not start and stop; see " + log);
            }
            marks.putAll(timeline.marks());
            marks.putAll(logMarks(Files.readAllLines(log), epoch0));
            timeline.awaitNoPods(Duration.ofMinutes(1));
        }
        return marks;
    }

    /** One session start: POST /sessions until the stream says it is idle; then it is deleted. */
    private Map<String, Double> session() throws Exception {
        Map<String, String> conf = new LinkedHashMap<>(SHARED_CONF);
        conf.put("spark.driver.memory", HEAP);
        long t0 = System.nanoTime();
        long epoch0 = System.currentTimeMillis();
        Map<String, Double> marks = new LinkedHashMap<>();
        try (PodTimeline timeline = new PodTimeline(cluster, t0, EXECUTORS)) {
            int id = gateway.createSession(Map.of("kind", "spark", "numExecutors", EXECUTORS,
                    "executorMemory", "512m", "conf", conf)).id();
            try (SessionStream stream = gateway.openStream(id)) {
                stream.awaitActive(START);
                marks.put(READY, (System.nanoTime() - t0) / 1e6);
            }
            marks.putAll(timeline.marks());
            marks.putAll(driverLogMarks(id, epoch0));
            gateway.deleteSession(id);
            timeline.awaitNoPods(Duration.ofMinutes(1));
        }
        return marks;
    }

    /**
     * From the driver pod's log (the container's output, from the API server, as {@code kubectl logs}): its first
     * timestamped line, and Spark's "Running Spark version".
     */
    private Map<String, Double> driverLogMarks(int id, long epoch0) throws IOException, InterruptedException {
        String pod = gateway.session(Integer.toString(id)).driverPod().name();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.server() + "/api/v1/namespaces/"
                + cluster.namespace() + "/pods/" + pod + "/log"));
        if (!cluster.token().isEmpty()) {
            request.header("Authorization", "Bearer " + cluster.token());
        }
        return logMarks(List.of(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body()
                .split("\n")), epoch0);
    }

    /**
     * The first timestamped line and Spark's "Running Spark version" in a driver's log (the driver runtime's log4j
     * pattern, {@code HH:mm:ss.SSS}, UTC), in ms after {@code epoch0}.
     */
    private static Map<String, Double> logMarks(List<String> lines, long epoch0) {
        Map<String, Double> marks = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher time = LOG_TIME.matcher(line);
            if (time.find()) {
                double at = LocalTime.parse(time.group(1)).atDate(LocalDate.now(ZoneOffset.UTC))
                        .toInstant(ZoneOffset.UTC).toEpochMilli() - epoch0;
                marks.putIfAbsent(DRIVER_LOG, at);
                if (line.contains("Running Spark version")) {
                    marks.putIfAbsent(SPARK_START, at);
                }
            }
        }
        return marks;
    }

    private static List<Double> values(List<Map<String, Double>> runs, String mark) {
        return runs.stream().filter(run -> run.containsKey(mark)).map(run -> run.get(mark)).toList();
    }

    private static String cell(List<Map<String, Double>> runs, String mark) {
        List<Double> values = values(runs, mark);
        return values.isEmpty() ? "–" : String.format("%.0f", Samples.median(values));
    }

    private static String ratios(List<Double> sessions, List<Double> floors) {
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            ratios.add(String.format("%.2f", sessions.get(i) / floors.get(i)));
        }
        return String.join(", ", ratios);
    }

    private static void total(String name, List<Double> samples) {
        System.out.printf("| %s | %d | %.0f | %.0f | %.0f |%n", name, samples.size(), Samples.median(samples),
                Samples.min(samples), Samples.max(samples));
    }
}
