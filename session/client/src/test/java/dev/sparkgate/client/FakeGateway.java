package dev.sparkgate.client;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.StreamRequest;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The stream side of a gateway, scripted by a test: it accepts stream connections and lets the test see what each
 * asked for, answer, send events and drop them. No REST API: a client that asks it something over HTTP gets no answer
 * it understands, as from a gateway that is not (yet) there.
 */
final class FakeGateway extends WebSocketServer implements AutoCloseable {

    private static final long WAIT_SECONDS = 10;

    private final BlockingQueue<WebSocket> connections = new LinkedBlockingQueue<>();
    private final BlockingQueue<StreamRequest> requests = new LinkedBlockingQueue<>();
    private final CountDownLatch started = new CountDownLatch(1);

    private FakeGateway() {
        super(new InetSocketAddress("127.0.0.1", 0));
        setReuseAddr(true);
    }

    static FakeGateway started() throws InterruptedException {
        FakeGateway gateway = new FakeGateway();
        gateway.start();
        assertThat(gateway.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the fake gateway started").isTrue();
        return gateway;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + getPort());
    }

    /** The next stream connection a client made; fails when none comes. */
    WebSocket nextConnection() throws InterruptedException {
        WebSocket connection = connections.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (connection == null) {
            fail("no client connected to the fake gateway within " + WAIT_SECONDS + " s");
        }
        return connection;
    }

    /** Whether another connection comes within {@code millis}. */
    boolean anotherConnectionWithin(long millis) throws InterruptedException {
        return connections.poll(millis, TimeUnit.MILLISECONDS) != null;
    }

    /** The next request any client sent; fails when none comes. */
    StreamRequest nextRequest() throws InterruptedException {
        StreamRequest request = requests.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (request == null) {
            fail("no request reached the fake gateway within " + WAIT_SECONDS + " s");
        }
        return request;
    }

    static void send(WebSocket connection, String json) {
        connection.send(json.replace('\'', '"'));
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket connection, ClientHandshake handshake) {
        connections.add(connection);
    }

    @Override
    public void onMessage(WebSocket connection, String message) {
        requests.add(Json.read(message, StreamRequest.class));
    }

    @Override
    public void onClose(WebSocket connection, int code, String reason, boolean remote) {
    }

    @Override
    public void onError(WebSocket connection, Exception ex) {
    }

    @Override
    public void close() throws InterruptedException {
        stop(1000);
    }
}
