package dev.sparkgate.gateway.websocket;

import dev.sparkgate.protocol.Json;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.WriteCallback;

/**
 * Sends on a WebSocket without blocking the caller: Jetty queues frames in order, so a slow client never holds up
 * a session's lock or its other watchers.
 */
public final class WsSender {

    private static final WriteCallback IGNORE = new WriteCallback() {
    };

    private WsSender() {
    }

    public static void send(WsContext ctx, Object message) {
        if (!ctx.session.isOpen()) {
            return;
        }
        try {
            ctx.session.getRemote().sendString(Json.write(message), IGNORE);
        } catch (RuntimeException closedMeanwhile) {
            // the peer went away; its close handler unsubscribes it
        }
    }
}
