package dev.sparkgate.bench;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.SessionStream;
import dev.sparkgate.client.StatementEvents;
import dev.sparkgate.protocol.StatementEvent;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a trivial statement's round trip over the session stream goes, hop by hop. The driver stamps a statement's
 * {@code accepted}, {@code started} and {@code finished} events with its wall clock; client and driver share this
 * machine's clock, so the client's send and receive times split the round trip into:
 * <ul>
 *   <li>in: client → gateway → link → the driver accepts it;</li>
 *   <li>queue: accepted → started (the driver's hand-off to the interpreter);</li>
 *   <li>run: started → finished (the interpreter's own work);</li>
 *   <li>out: finished → the client has the event (driver → link → gateway → client).</li>
 * </ul>
 * The driver's stamps are whole milliseconds, truncated: "in" reads up to 1 ms low and "out" up to 1 ms high per
 * sample; over many rounds the medians are good to about half a millisecond.
 *
 * The gateway's own share of those hops comes from its {@code sparkgate_stream_relay_seconds} metric, read from
 * {@code /metrics} before and after each kind's rounds: per statement, the time from its request's arrival to the
 * execute on its way to the driver ("gateway in"), and the time spent relaying the statement's messages from the
 * driver to the client ("gateway out"); means, as the metric keeps sums.
 *
 * <p>Usage: {@code StatementHops [gateway URL, default http://127.0.0.1:8998] [rounds, default 100] [Spark line]
 * [warm-up rounds per kind, default 20] [kinds, comma-separated, default pyspark,sql,spark]}. A warm-up of
 * 1,000 or more measures the statement path once the JIT has compiled it; 20 measures it as a new session has it.
 * Prints Markdown.
 */
public final class StatementHops {

    private static final Duration START = Duration.ofMinutes(2);
    private static final String[][] STATEMENTS = {{"pyspark", "1+1"}, {"sql", "SELECT 1"}, {"spark", "1+1"}};

    private StatementHops() {
    }

    public static void main(String[] args) throws Exception {
        GatewayClient gateway = new GatewayClient(URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8998"), null);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        SparkLine line = SparkLine.of(args, 2);
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        List<String> kinds = args.length > 4 ? List.of(args[4].split(",")) : List.of("pyspark", "sql", "spark");
        RelayMetric relay = new RelayMetric(gateway.base().resolve("/metrics"));

        SessionStream stream = gateway.openStream(gateway.createSession(line.coldSession()).id());
        stream.awaitActive(START);
        System.out.println("Driver runtime: " + SparkLine.describe(gateway, stream.sessionId()) + "\n");
        System.out.println("| statement | warm-up | n | round trip ms | in ms | queue ms | run ms | out ms "
                + "| round trip less run ms | gateway in ms (mean) | gateway out ms (mean) "
                + "| gateway per request p50 / p99 ms | gateway per driver message p50 / p99 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String[] statement : STATEMENTS) {
            if (!kinds.contains(statement[0])) {
                continue;
            }
            for (int i = 0; i < warmUp; i++) {
                Hops.of(stream, statement[0], statement[1]);
            }
            RelayMetric.Sums before = relay.read();
            List<Hops> samples = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                samples.add(Hops.of(stream, statement[0], statement[1]));
            }
            RelayMetric.Sums after = relay.read();
            System.out.printf("| %s `%s` | %d | %d | %s | %s | %s | %s | %s | %s | %.2f | %.2f | %s / %s | %s / %s |%n",
                    statement[0],
                    statement[1], warmUp, rounds,
                    medianAndP90(samples, Hops::total), medianAndP90(samples, Hops::in),
                    medianAndP90(samples, Hops::queue), medianAndP90(samples, Hops::run),
                    medianAndP90(samples, Hops::out), medianAndP90(samples, h -> h.total() - h.run()),
                    (after.inSeconds() - before.inSeconds()) * 1000 / rounds,
                    (after.outSeconds() - before.outSeconds()) * 1000 / rounds,
                    after.quantileSince(before, "in", 0.5), after.quantileSince(before, "in", 0.99),
                    after.quantileSince(before, "out", 0.5), after.quantileSince(before, "out", 0.99));
        }
        stream.close();
        gateway.deleteSession(stream.sessionId());
        System.out.println("\nEach cell: median (p90).");
    }

    private static String medianAndP90(List<Hops> samples, java.util.function.ToDoubleFunction<Hops> hop) {
        List<Double> values = samples.stream().map(hop::applyAsDouble).sorted().toList();
        return String.format("%.1f (%.1f)", Samples.median(values),
                values.get((int) Math.ceil(values.size() * 0.9) - 1));
    }

    /** One round trip, split at the driver's stamps; milliseconds. */
    private record Hops(double total, double in, double queue, double run, double out) {

        static Hops of(SessionStream stream, String kind, String code) throws InterruptedException {
            StatementEvents events = new StatementEvents();
            long t0 = System.nanoTime();
            double sent = wallMillis();
            stream.execute(kind, code, events);
            long accepted = -1;
            long started = -1;
            while (true) {
                StatementEvent event = events.next();
                if (event instanceof StatementEvent.Accepted a) {
                    accepted = a.at();
                } else if (event instanceof StatementEvent.Started s) {
                    started = s.at();
                } else if (event instanceof StatementEvent.Finished f) {
                    double received = wallMillis();
                    double total = (System.nanoTime() - t0) / 1e6;
                    if (accepted < 0 || started < 0) {
                        throw new IllegalStateException("statement " + f.statementId()
                                + " finished without accepted/started events");
                    }
                    return new Hops(total, accepted - sent, started - accepted, f.at() - started, received - f.at());
                }
            }
        }

        private static double wallMillis() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
        }
    }
}
