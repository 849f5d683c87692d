package dev.sparkgate.driver;

import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.Json;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The driver's end of its link to the gateway: a WebSocket the driver dials, authenticated with the per-session
 * secret the gateway handed it. Commands arrive here; messages leave in the order they are sent.
 */
final class GatewayLink extends WebSocketClient {

    private final Consumer<DriverCommand> commands;
    private final Runnable onLost;

    private GatewayLink(URI uri, String secret, Consumer<DriverCommand> commands, Runnable onLost) {
        super(uri, Map.of("Authorization", "Bearer " + secret));
        this.commands = commands;
        this.onLost = onLost;
        setConnectionLostTimeout(30);
        // A statement's events are small messages sent back to back (started, then finished a millisecond later):
        // with Nagle's algorithm the second waits for the gateway's delayed ACK of the first, about 40 ms.
        setTcpNoDelay(true);
    }

    static GatewayLink connect(URI uri, String secret, Consumer<DriverCommand> commands, Runnable onLost)
            throws InterruptedException {
        GatewayLink link = new GatewayLink(uri, secret, commands, onLost);
        if (!link.connectBlocking(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Could not reach the gateway at " + uri + " to register this driver");
        }
        return link;
    }

    synchronized void send(DriverMessage message) {
        if (isOpen()) {
            send(Json.write(message));
        }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        commands.accept(Json.read(message, DriverCommand.class));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        onLost.run();
    }

    @Override
    public void onError(Exception e) {
        System.err.println("sparkgate-driver: link to the gateway failed: " + e);
    }
}
