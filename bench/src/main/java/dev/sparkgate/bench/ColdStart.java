package dev.sparkgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.SessionStream;
import dev.sparkgate.client.StatementEvents;
import dev.sparkgate.protocol.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a cold session start goes, per kind: N new sessions of each kind ({@code spark}, {@code sql},
 * {@code pyspark}), each created until {@code idle} as the stream tells it, then its kind's first statement; and the
 * phases the driver logged for that start ({@code start phases: JVM start to main 310 ms, link 40 ms, ...}, read back
 * from the session's log over Livy's {@code GET /sessions/{id}/log}) and its warm-ups ({@code The Scala warm-up took
 * N ms}, {@code Scala's REPL is up}). "Before the JVM" is created-until-idle less the driver's own time since its JVM started: the gateway's
 * share and the process launch. Every session has a conf of its own, so a warm pool never serves one. Prints Markdown,
 * one table per kind, medians over the N starts.
 *
 * <p>Usage: {@code ColdStart [gateway URL, default http://127.0.0.1:8998] [starts per kind, default 5]
 * [Spark line: 3.5 | 4.1, default the gateway's]}
 */
public final class ColdStart {

    private static final Duration START = Duration.ofMinutes(3);
    private static final String[][] KINDS = {{"spark", "1+1"}, {"sql", "SELECT 1"}, {"pyspark", "1+1"}};
    private static final Pattern PHASES = Pattern.compile("start phases: (.*); (\\d+) ms since the JVM started");
    private static final Pattern PHASE = Pattern.compile("(.+?) (\\d+) ms");
    private static final Pattern WARM_UP = Pattern.compile("The (\\w+) warm-up took (\\d+) ms");
    private static final Pattern REPL_UP = Pattern.compile("Scala's REPL is up, (\\d+) ms after the JVM started");

    private final URI base;
    private final GatewayClient gateway;
    private final SparkLine line;
    private final HttpClient http = HttpClient.newHttpClient();

    private ColdStart(URI base, SparkLine line) {
        this.base = base;
        this.gateway = new GatewayClient(base, null);
        this.line = line;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8998");
        int starts = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        new ColdStart(base, SparkLine.of(args, 2)).run(starts);
    }

    private void run(int starts) throws Exception {
        for (String[] kind : KINDS) {
            Map<String, List<Double>> rows = new LinkedHashMap<>();
            String runtime = null;
            for (int i = 0; i < starts; i++) {
                long t0 = System.nanoTime();
                SessionStream stream = gateway.openStream(gateway.createSession(session(kind[0], i)).id());
                stream.awaitActive(START);
                double idle = millis(t0);
                double first = roundTrip(stream, kind[0], kind[1]);
                runtime = runtime != null ? runtime : SparkLine.describe(gateway, stream.sessionId());
                List<String> log = log(stream.sessionId());
                stream.close();
                gateway.deleteSession(stream.sessionId());

                add(rows, "created until idle", idle);
                double ready = Double.NaN;
                double replUpSinceJvm = Double.NaN;
                for (String logLine : log) {
                    Matcher phases = PHASES.matcher(logLine);
                    if (phases.find()) {
                        double sinceJvm = Double.parseDouble(phases.group(2));
                        ready = sinceJvm;
                        add(rows, "before the JVM (gateway, launch)", idle - sinceJvm);
                        for (String phase : phases.group(1).split(", ")) {
                            Matcher m = PHASE.matcher(phase);
                            if (m.matches()) {
                                add(rows, "driver: " + m.group(1), Double.parseDouble(m.group(2)));
                            }
                        }
                        add(rows, "driver: JVM start until ready", sinceJvm);
                    }
                    Matcher replUp = REPL_UP.matcher(logLine);
                    if (replUp.find()) {
                        replUpSinceJvm = Double.parseDouble(replUp.group(1));
                    }
                    Matcher warmUp = WARM_UP.matcher(logLine);
                    if (warmUp.find()) {
                        add(rows, "after idle: the " + warmUp.group(1) + " warm-up", Double.parseDouble(warmUp.group(2)));
                    }
                }
                if (!Double.isNaN(replUpSinceJvm)) {
                    add(rows, "after idle: until Scala's REPL is up", replUpSinceJvm - ready);
                }
                add(rows, "the first " + kind[0] + " statement (`" + kind[1] + "`) after idle", first);
            }
            System.out.println("### kind " + kind[0] + " (" + runtime + ")\n");
            System.out.println("| phase | n | median ms | min ms | max ms |");
            System.out.println("|---|---|---|---|---|");
            rows.forEach((name, samples) -> System.out.printf("| %s | %d | %.0f | %.0f | %.0f |%n", name,
                    samples.size(), Samples.median(samples), Samples.min(samples), Samples.max(samples)));
            System.out.println();
        }
    }

    /** A new session of {@code kind} with a conf of its own, which no pooled driver has. */
    private Map<String, Object> session(String kind, int i) {
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("spark.sparkgate.bench", "cold-start-" + i);
        if (line.line() != null) {
            conf.put("sparkgate.sparkVersion", line.line());
        }
        return Map.of("kind", kind, "conf", conf);
    }

    /** The driver's log as Livy serves it: the start phases and warm-ups are lines of it. */
    private List<String> log(int session) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/sessions/" + session + "/log?from=0&size=100000"))
                .timeout(Duration.ofSeconds(30)).build();
        JsonNode body = Json.MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        List<String> lines = new ArrayList<>();
        body.path("log").forEach(line -> lines.add(line.asText()));
        return lines;
    }

    private static double roundTrip(SessionStream stream, String kind, String code) throws Exception {
        long t0 = System.nanoTime();
        StatementEvents events = new StatementEvents();
        stream.execute(kind, code, events);
        events.finished(START);
        return millis(t0);
    }

    private static void add(Map<String, List<Double>> rows, String name, double millis) {
        rows.computeIfAbsent(name, n -> new ArrayList<>()).add(millis);
    }

    private static double millis(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }
}
