package dev.sparkgate.bench;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.SessionStream;
import dev.sparkgate.client.StatementEvents;
import dev.sparkgate.protocol.StatementEvent;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Round trip of a trivial statement on one gateway: delivered over the session's stream, versus polled over REST at
 * sparkmagic's cadence (0.2, 0.5, 0.5, 1, 1, then 2 s). Also session creation until idle, as the stream tells it,
 * and each kind's first statement on a new session beside its steady state.
 * Prints Markdown.
 *
 * <p>With a warm pool on the gateway ({@code SPARKGATE_WARM_SESSIONS=1}), give the seconds the pool needs to refill
 * and warm a driver: the start rows are then measured both ways, cold (each session with a conf of its own, which no
 * pooled driver has) and from the pool (a session with the gateway's defaults, after that wait), with the first Scala
 * statement on each pooled session.
 *
 * <p>Usage: {@code StatementLatency [gateway URL, default http://127.0.0.1:8998] [rounds, default 30]
 * [Spark line: 3.5 | 4.1, default the gateway's] [pool refill seconds, default 0: no pool]} (see {@link SparkLine})
 */
public final class StatementLatency {

    private static final double[] SPARKMAGIC_SLEEPS = {0.2, 0.5, 0.5, 1, 1, 2};
    private static final Duration START = Duration.ofMinutes(2);
    /** kind, code: the trivial statement of each kind, first on a new session and then steady. */
    /** A conf no pooled driver has, so the session starts cold whether or not the gateway keeps a pool. */
    private static final String[][] FIRST_STATEMENTS = {{"spark", "1+1"}, {"sql", "SELECT 1"}, {"pyspark", "1+1"}};

    private final GatewayClient gateway;
    private final SparkLine line;
    /** Driver-side time of the last stream round trip: from its started to its finished event. */
    private double lastExecution;

    private StatementLatency(URI base, SparkLine line) {
        this.gateway = new GatewayClient(base, null);
        this.line = line;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8998");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int poolRefillSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        new StatementLatency(base, SparkLine.of(args, 2)).run(rounds, poolRefillSeconds);
    }

    private void run(int rounds, int poolRefillSeconds) throws Exception {
        List<Double> pooledStarts = new ArrayList<>();
        List<Double> pooledFirstScala = new ArrayList<>();
        for (int i = 0; poolRefillSeconds > 0 && i < 3; i++) {
            Thread.sleep(poolRefillSeconds * 1000L);
            long t0 = System.nanoTime();
            SessionStream pooled = gateway.openStream(gateway.createSession(line.sharedSession()).id());
            pooled.awaitActive(START);
            pooledStarts.add(millis(t0));
            pooledFirstScala.add(roundTrip(pooled, "spark", "1+1"));
            pooled.close();
            gateway.deleteSession(pooled.sessionId());
        }
        // One new session per kind: its start until idle, then the kind's first statement, which pays for whatever
        // the driver left to do until a user asked (no hidden warm-up on the first cell is the goal).
        List<Double> starts = new ArrayList<>();
        Map<String, Double> first = new java.util.LinkedHashMap<>();
        SessionStream stream = null;
        for (String[] probe : FIRST_STATEMENTS) {
            long t0 = System.nanoTime();
            SessionStream started = gateway.openStream(gateway.createSession(line.coldSession()).id());
            started.awaitActive(START);
            starts.add(millis(t0));
            first.put(probe[0], roundTrip(started, probe[0], probe[1]));
            if (stream != null) {
                stream.close();
                gateway.deleteSession(stream.sessionId());
            }
            stream = started;
        }
        int session = stream.sessionId();
        String runtime = SparkLine.describe(gateway, session);

        // Warm up: the first lines compile the REPL's wrappers and JIT the path.
        for (int i = 0; i < 10; i++) {
            roundTrip(stream, "spark", "1+1");
            roundTrip(stream, "sql", "SELECT 1");
            roundTrip(stream, "pyspark", "1+1");
        }
        List<Double> streamScala = new ArrayList<>();
        List<Double> streamSql = new ArrayList<>();
        List<Double> restScala = new ArrayList<>();
        List<Double> restSql = new ArrayList<>();
        List<Double> overheadScala = new ArrayList<>();
        List<Double> overheadSql = new ArrayList<>();
        List<Double> streamPython = new ArrayList<>();
        List<Double> overheadPython = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            streamScala.add(roundTrip(stream, "spark", "1+1"));
            overheadScala.add(streamScala.get(i) - lastExecution);
            streamSql.add(roundTrip(stream, "sql", "SELECT 1"));
            overheadSql.add(streamSql.get(i) - lastExecution);
            streamPython.add(roundTrip(stream, "pyspark", "1+1"));
            overheadPython.add(streamPython.get(i) - lastExecution);
            restScala.add(sparkmagicRoundTrip(session, "spark", "1+1"));
            restSql.add(sparkmagicRoundTrip(session, "sql", "SELECT 1"));
        }
        stream.close();
        gateway.deleteSession(session);

        System.out.println("Driver runtime: " + runtime + "\n");
        System.out.println("| measurement | n | median ms | p90 ms | min ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        row("session created until idle (kind shared, cold)", starts);
        if (!pooledStarts.isEmpty()) {
            row("session created until idle, from the warm pool", pooledStarts);
            row("the first spark statement on a session from the warm pool", pooledFirstScala);
        }
        first.forEach((kind, millis) -> row("the first " + kind + " statement on a new idle session",
                List.of(millis)));
        row("`1+1` over the stream", streamScala);
        row("`SELECT 1` over the stream", streamSql);
        row("Python `1+1` over the stream", streamPython);
        row("`1+1` over the stream, less the driver's own run time (started to finished)", overheadScala);
        row("`SELECT 1` over the stream, less the driver's own run time", overheadSql);
        row("Python `1+1` over the stream, less the driver's own run time", overheadPython);
        row("`1+1` over REST, sparkmagic's polling", restScala);
        row("`SELECT 1` over REST, sparkmagic's polling", restSql);
    }

    /** Submits, then polls as sparkmagic does; the round trip ends when the client first sees the result. */
    private double sparkmagicRoundTrip(int session, String kind, String code) throws Exception {
        long t0 = System.nanoTime();
        int id = gateway.submitStatement(session, kind, code);
        for (int poll = 0; poll < 60; poll++) {
            Thread.sleep((long) (SPARKMAGIC_SLEEPS[Math.min(poll, SPARKMAGIC_SLEEPS.length - 1)] * 1000));
            if (gateway.statementState(session, id).equals("available")) {
                return millis(t0);
            }
        }
        throw new IllegalStateException("statement " + id + " of session " + session + " did not finish in 2 minutes");
    }

    /** Submits over the stream; the round trip ends when the statement's finished event arrives. */
    private double roundTrip(SessionStream stream, String kind, String code) throws InterruptedException {
        long t0 = System.nanoTime();
        StatementEvents events = new StatementEvents();
        stream.execute(kind, code, events);
        long startedAt = 0;
        while (true) {
            StatementEvent event = events.next();
            if (event instanceof StatementEvent.Started started) {
                startedAt = started.at();
            } else if (event instanceof StatementEvent.Finished finished) {
                double total = millis(t0);
                lastExecution = finished.at() - startedAt;
                return total;
            }
        }
    }

    private static void row(String name, List<Double> samples) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        System.out.printf("| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", name, sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1),
                sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static double millis(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }
}
