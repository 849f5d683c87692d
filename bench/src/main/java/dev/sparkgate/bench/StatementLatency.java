package dev.sparkgate.bench;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Round trip of a trivial statement on one gateway: delivered over the session's stream, versus polled over REST at
 * sparkmagic's cadence (0.2, 0.5, 0.5, 1, 1, then 2 s). Also session creation until idle. Prints Markdown.
 *
 * <p>Usage: {@code StatementLatency [gateway URL, default http://127.0.0.1:8998] [rounds, default 30]}
 */
public final class StatementLatency {

    private static final double[] SPARKMAGIC_SLEEPS = {0.2, 0.5, 0.5, 1, 1, 2};
    private final GatewayHttp gateway;

    private StatementLatency(URI base) {
        this.gateway = new GatewayHttp(base);
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8998");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        new StatementLatency(base).run(rounds);
    }

    private void run(int rounds) throws Exception {
        List<Double> starts = new ArrayList<>();
        int session = -1;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            int id = gateway.createIdleSession("shared", Duration.ofMinutes(2));
            starts.add(millis(t0));
            if (session >= 0) {
                gateway.delete("/sessions/" + session);
            }
            session = id;
        }

        Stream stream = new Stream(URI.create("ws://" + gateway.base().getHost() + ":" + gateway.base().getPort()
                + "/sessions/" + session + "/stream?since=" + Long.MAX_VALUE));
        stream.connectBlocking(10, TimeUnit.SECONDS);
        // Warm up: the first lines compile the REPL's wrappers and JIT the path.
        for (int i = 0; i < 10; i++) {
            stream.roundTrip("spark", "1+1");
            stream.roundTrip("sql", "SELECT 1");
        }
        List<Double> streamScala = new ArrayList<>();
        List<Double> streamSql = new ArrayList<>();
        List<Double> restScala = new ArrayList<>();
        List<Double> restSql = new ArrayList<>();
        List<Double> overheadScala = new ArrayList<>();
        List<Double> overheadSql = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            streamScala.add(stream.roundTrip("spark", "1+1"));
            overheadScala.add(streamScala.get(i) - stream.lastExecution);
            streamSql.add(stream.roundTrip("sql", "SELECT 1"));
            overheadSql.add(streamSql.get(i) - stream.lastExecution);
            restScala.add(sparkmagicRoundTrip(session, "spark", "1+1"));
            restSql.add(sparkmagicRoundTrip(session, "sql", "SELECT 1"));
        }
        stream.close();
        gateway.delete("/sessions/" + session);

        System.out.println("| measurement | n | median ms | p90 ms | min ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        row("session created until idle (kind shared)", starts);
        row("`1+1` over the stream", streamScala);
        row("`SELECT 1` over the stream", streamSql);
        row("`1+1` over the stream, less the driver's own run time (started to finished)", overheadScala);
        row("`SELECT 1` over the stream, less the driver's own run time", overheadSql);
        row("`1+1` over REST, sparkmagic's polling", restScala);
        row("`SELECT 1` over REST, sparkmagic's polling", restSql);
    }

    /** Submits, then polls as sparkmagic does; the round trip ends when the client first sees the result. */
    private double sparkmagicRoundTrip(int session, String kind, String code) throws Exception {
        long t0 = System.nanoTime();
        int id = gateway.post("/sessions/" + session + "/statements", Json.write(Map.of("kind", kind, "code", code)))
                .path("id").asInt();
        for (int poll = 0; ; poll++) {
            Thread.sleep((long) (SPARKMAGIC_SLEEPS[Math.min(poll, SPARKMAGIC_SLEEPS.length - 1)] * 1000));
            if (gateway.get("/sessions/" + session + "/statements/" + id).path("state").asText().equals("available")) {
                return millis(t0);
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

    /** A stream client that waits for the finished event of the statement it submitted. */
    private static final class Stream extends WebSocketClient {
        private final BlockingQueue<StreamUpdate> updates = new LinkedBlockingQueue<>();
        private int requestId;

        Stream(URI uri) {
            super(uri);
        }

        /** Driver-side time of the last round trip: from its started to its finished event. */
        double lastExecution;

        double roundTrip(String kind, String code) throws InterruptedException {
            long t0 = System.nanoTime();
            long startedAt = 0;
            send(Json.write(new StreamRequest.Execute(++requestId, code, kind)));
            int statement = -1;
            while (true) {
                StreamUpdate update = updates.poll(60, TimeUnit.SECONDS);
                if (update == null) {
                    throw new IllegalStateException("no answer within 60 s");
                }
                if (update instanceof StreamUpdate.Submitted s && s.requestId() == requestId) {
                    statement = s.statementId();
                } else if (update instanceof StreamUpdate.Event e && e.event().statementId() == statement) {
                    if (e.event() instanceof StatementEvent.Started started) {
                        startedAt = started.at();
                    } else if (e.event() instanceof StatementEvent.Finished finished) {
                        double total = millis(t0);
                        lastExecution = finished.at() - startedAt;
                        return total;
                    }
                }
            }
        }

        @Override
        public void onMessage(String message) {
            updates.add(Json.read(message, StreamUpdate.class));
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception ex) {
        }
    }
}
