package dev.sparkgate.driver;

import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverInfo;
import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.PoolClaim;
import dev.sparkgate.protocol.SessionSpec;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pooled driver's way from its claim to ready, walked once while it waits for a session: a claim read from JSON,
 * then a link dialled to a loopback server of its own, a Resume received on it and a Ready sent back. A session that
 * takes the driver waits for exactly this way; walked cold, on the emulated cluster, it cost about 0.3 s of the 0.6 s
 * from a session's creation to idle: the claim's JSON (50 ms), the WebSocket client's classes (50–100 ms), the first
 * frame read and command parsed (100 ms), the first Ready written (50 ms). The server lives only for the walk, on
 * 127.0.0.1, and answers one link.
 */
final class ClaimPathWarmUp {

    private static final Duration WALK_TIMEOUT = Duration.ofSeconds(10);

    private ClaimPathWarmUp() {
    }

    /** Walks the way once, with the pool's {@code spec} and {@code ready}; false (and said why) if any of it failed. */
    static boolean walk(SessionSpec spec, DriverInfo ready) {
        LoopbackGateway gateway = new LoopbackGateway();
        try {
            Json.read(Json.write(new PoolClaim("ws://127.0.0.1/driver/0", "/dev/null", spec)), PoolClaim.class);
            gateway.start();
            URI uri = URI.create("ws://127.0.0.1:" + gateway.started.get(WALK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    + "/driver/0");
            GatewayLink link = GatewayLink.connect(uri, "warm-up", WALK_TIMEOUT,
                    (from, command) -> from.send(new DriverMessage.Ready(ready)), code -> { });
            gateway.readied.get(WALK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            link.closeBlocking();
            return true;
        } catch (Exception e) {
            System.err.println("sparkgate-driver: warming the way from a claim to ready failed (harmless): " + e);
            return false;
        } finally {
            try {
                gateway.stop(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Plays the gateway's part: a Resume to the one link that opens, and the Ready it answers with read. */
    private static final class LoopbackGateway extends WebSocketServer {
        final CompletableFuture<Integer> started = new CompletableFuture<>();
        final CompletableFuture<DriverMessage> readied = new CompletableFuture<>();
        private final AtomicBoolean answered = new AtomicBoolean();

        LoopbackGateway() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
        }

        @Override
        public void onStart() {
            started.complete(getPort());
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            if (!answered.compareAndSet(false, true)) {
                conn.close();
                return;
            }
            conn.send(Json.write(new DriverCommand.Resume(0)));
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            readied.complete(Json.read(message, DriverMessage.class));
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket conn, Exception e) {
            started.completeExceptionally(e);
            readied.completeExceptionally(e);
        }
    }
}
