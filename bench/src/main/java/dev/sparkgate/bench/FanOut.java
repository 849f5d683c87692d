package dev.sparkgate.bench;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.SessionStream;
import dev.sparkgate.client.StatementEvents;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out: many stream clients watching one session while another runs statements on it. For every {@code started}
 * and {@code finished} event each watcher receives, the delay from the driver's {@code at} (its clock, stamped when
 * it sent the event) to the watcher's arrival (same machine, same clock), and whether every watcher received every
 * statement's end. Then one Spark job of 20 tasks of 150 ms each (its state changes about every 75 ms), and one of a
 * single task of 2 s (its state does not change while it runs): the gaps between the progress updates each watcher
 * received while each ran (the driver polls Spark every 100 ms, sends a change at the next poll and repeats an
 * unchanged state once its last report is 150 ms old). Prints Markdown.
 *
 * <p>Beside the delays, the gateway's own share of them: its {@code sparkgate_stream_relay_seconds} (out) over the
 * statements, the mean time it took to queue one driver message to every client.
 *
 * <p>Usage: {@code FanOut [gateway URL, default http://127.0.0.1:8998] [watchers, default 200] [statements, default 30]}
 */
public final class FanOut {

    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration STATEMENT = Duration.ofMinutes(1);

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8998");
        int watcherCount = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int statements = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        GatewayClient gateway = new GatewayClient(base, null);
        SessionStream stream = gateway.openStream(gateway.createSession(Map.of("kind", "shared")).id());
        int session = stream.sessionId();
        List<Watcher> watchers = new ArrayList<>();
        try {
            stream.awaitActive(START);
            for (int i = 0; i < 5; i++) {
                run(stream, "sql", "SELECT 1");  // warm: the first statements plan slower
            }
            URI streamUri = URI.create(base.toString().replaceFirst("^http", "ws") + "/sessions/" + session + "/stream");
            for (int i = 0; i < watcherCount; i++) {
                Watcher watcher = new Watcher(streamUri);
                if (!watcher.connectBlocking(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("watcher " + i + " could not connect to " + streamUri);
                }
                watchers.add(watcher);
            }
            List<Integer> ids = new ArrayList<>();
            RelayMetric relay = new RelayMetric(base.resolve("/metrics"));
            RelayMetric.Sums before = relay.read();
            for (int i = 0; i < statements; i++) {
                ids.add(run(stream, "sql", "SELECT " + i));
            }
            RelayMetric.Sums after = relay.read();
            int job = run(stream, "spark", "sc.parallelize(1 to 40, 20).map { x => Thread.sleep(150); x }.count()");
            int unchanging = run(stream, "spark", "sc.parallelize(1 to 1, 1).map { x => Thread.sleep(2000); x }.count()");
            // the last watchers may still be receiving the last event
            Thread.sleep(2000);
            List<Double> delays = new ArrayList<>();
            int missing = 0;
            for (Watcher watcher : watchers) {
                synchronized (watcher) {
                    // a new watcher is first sent what the session did so far: only the measured statements count
                    ids.forEach(id -> delays.addAll(watcher.delays.getOrDefault(id, List.of())));
                    missing += (int) ids.stream().filter(id -> !watcher.finished.contains(id)).count();
                }
            }
            Collections.sort(delays);
            System.out.println("| watchers | statements | events received | statement ends missed | p50 ms | p99 ms | max ms |");
            System.out.println("|---|---|---|---|---|---|---|");
            System.out.printf("| %d | %d | %d | %d | %.0f | %.0f | %.0f |%n", watcherCount, statements, delays.size(),
                    missing, percentile(delays, 0.5), percentile(delays, 0.99), delays.get(delays.size() - 1));
            System.out.printf("%nThe gateway's own share (sparkgate_stream_relay_seconds, out): %.2f ms per driver message "
                    + "queued to all %d clients (mean of %.0f).%n", (after.outSeconds() - before.outSeconds()) * 1000
                    / Math.max(1, after.outCount() - before.outCount()), watcherCount + 1,
                    after.outCount() - before.outCount());
            System.out.println();
            System.out.println("| job | progress updates per watcher (median) | gap p50 ms | gap p99 ms | max gap ms |");
            System.out.println("|---|---|---|---|---|");
            printGaps(watchers, job, "20 tasks of 150 ms, 2 at a time");
            printGaps(watchers, unchanging, "1 task of 2 s");
        } finally {
            for (Watcher watcher : watchers) {
                watcher.closeBlocking();
            }
            stream.close();
            gateway.deleteSession(session);
        }
    }

    /** The gaps between the progress updates of {@code job}'s statement as the watchers received them: one row. */
    private static void printGaps(List<Watcher> watchers, int job, String what) {
        List<Double> gaps = new ArrayList<>();
        List<Integer> updates = new ArrayList<>();
        for (Watcher watcher : watchers) {
            synchronized (watcher) {
                List<Long> arrivals = watcher.progress.getOrDefault(job, List.of());
                updates.add(arrivals.size());
                for (int i = 1; i < arrivals.size(); i++) {
                    gaps.add((double) (arrivals.get(i) - arrivals.get(i - 1)));
                }
            }
        }
        Collections.sort(gaps);
        Collections.sort(updates);
        System.out.printf("| %s | %d | %.0f | %.0f | %.0f |%n", what, updates.get(updates.size() / 2),
                percentile(gaps, 0.5), percentile(gaps, 0.99), gaps.get(gaps.size() - 1));
    }

    private static int run(SessionStream stream, String kind, String code) throws Exception {
        StatementEvents events = new StatementEvents();
        int id = stream.execute(kind, code, events);
        events.finished(STATEMENT);
        return id;
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p) - 1));
    }

    /** One stream client that only listens: when each started and finished event arrived, against its {@code at}. */
    private static final class Watcher extends WebSocketClient {
        private final Map<Integer, List<Double>> delays = new HashMap<>();
        private final List<Integer> finished = new ArrayList<>();
        private final Map<Integer, List<Long>> progress = new HashMap<>();

        Watcher(URI uri) {
            super(uri);
            setTcpNoDelay(true);
        }

        @Override
        public void onMessage(String message) {
            long arrived = System.currentTimeMillis();
            if (!(Json.read(message, StreamUpdate.class) instanceof StreamUpdate.Event update)) {
                return;
            }
            synchronized (this) {
                List<Double> mine = delays.computeIfAbsent(update.event().statementId(), id -> new ArrayList<>());
                if (update.event() instanceof StatementEvent.Started started) {
                    mine.add((double) (arrived - started.at()));
                } else if (update.event() instanceof StatementEvent.Progress) {
                    progress.computeIfAbsent(update.event().statementId(), id -> new ArrayList<>()).add(arrived);
                } else if (update.event() instanceof StatementEvent.Finished end) {
                    mine.add((double) (arrived - end.at()));
                    finished.add(end.statementId());
                }
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception ex) {
            System.err.println("watcher " + getURI() + ": " + ex);
        }
    }
}
