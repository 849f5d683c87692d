package dev.sparkgate.gateway.testing;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A client of a session's stream that records every update with the moment it arrived. */
public final class StreamClient extends WebSocketClient implements AutoCloseable {

    public record Arrival(StreamUpdate update, long nanos) {
    }

    private final List<Arrival> arrivals = new ArrayList<>();
    private final AtomicInteger requestIds = new AtomicInteger(1);
    private volatile int closeCode = -1;

    private StreamClient(URI uri, Map<String, String> headers) {
        super(uri, headers);
    }

    public static StreamClient connect(URI base, int sessionId, String token, long since) {
        String query = "?since=" + since + (token == null ? "" : "&token=" + token);
        URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/sessions/" + sessionId + "/stream" + query);
        StreamClient client = new StreamClient(uri, Map.of());
        try {
            if (!client.connectBlocking(10, TimeUnit.SECONDS)) {
                throw new AssertionError("could not connect to " + uri);
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return client;
    }

    /** Sends an execute request and waits for the statement id the gateway gave it. */
    public int execute(String kind, String code) {
        int requestId = requestIds.getAndIncrement();
        send(Json.write(new StreamRequest.Execute(requestId, code, kind)));
        StreamUpdate reply = await(u -> (u instanceof StreamUpdate.Submitted s && s.requestId() == requestId)
                || (u instanceof StreamUpdate.Refused r && r.requestId() == requestId), Duration.ofSeconds(10)).update();
        if (reply instanceof StreamUpdate.Refused refused) {
            throw new AssertionError("refused: " + refused);
        }
        return ((StreamUpdate.Submitted) reply).statementId();
    }

    public int nextRequestId() {
        return requestIds.getAndIncrement();
    }

    public void request(StreamRequest request) {
        send(Json.write(request));
    }

    public Arrival awaitFinished(int statementId, Duration timeout) {
        return await(u -> u instanceof StreamUpdate.Event e && e.event() instanceof StatementEvent.Finished
                && e.event().statementId() == statementId, timeout);
    }

    /** Waits for the first update (already arrived or yet to come) that matches. */
    public synchronized Arrival await(Predicate<StreamUpdate> match, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int seen = 0;
        while (true) {
            for (; seen < arrivals.size(); seen++) {
                if (match.test(arrivals.get(seen).update())) {
                    return arrivals.get(seen);
                }
            }
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                throw new AssertionError("no matching update within " + timeout + "; got " + updates());
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public synchronized List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    public synchronized List<StreamUpdate> updates() {
        return arrivals.stream().map(Arrival::update).toList();
    }

    /** The events of one statement, in arrival order. */
    public synchronized List<StatementEvent> events(int statementId) {
        return arrivals.stream().map(Arrival::update)
                .filter(u -> u instanceof StreamUpdate.Event e && e.event().statementId() == statementId)
                .map(u -> ((StreamUpdate.Event) u).event()).toList();
    }

    /** Closes and waits for the close handshake, so the gateway has let go of this watcher when it returns. */
    @Override
    public void close() {
        super.close();
        Await.value("the stream " + getURI().getPath() + " closed", Duration.ofSeconds(5), Duration.ofMillis(10),
                this::getReadyState, state -> isClosed());
    }

    public int closeCode() {
        return closeCode;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public synchronized void onMessage(String message) {
        arrivals.add(new Arrival(Json.read(message, StreamUpdate.class), System.nanoTime()));
        notifyAll();
    }

    @Override
    public synchronized void onClose(int code, String reason, boolean remote) {
        closeCode = code;
        notifyAll();
    }

    @Override
    public void onError(Exception ex) {
    }
}
