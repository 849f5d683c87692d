package dev.sparkgate.gateway.jupyter;

import dev.sparkgate.gateway.auth.AccessGuard;
import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.websocket.WsOutbox;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.jupyter.JupyterMessage;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsMessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /api/kernels/{kernel_id}/channels}: a kernel's five channels over one WebSocket, as Jupyter Server and
 * JupyterLab speak them: one JSON text frame per message, naming its {@code channel}. {@code ?session_id=} names the
 * client; replies find their way back by the connection the request came on.
 */
final class KernelChannelsEndpoint {

    static final String PATH = "/api/kernels/{kernel_id}/channels";
    private static final Logger LOG = LoggerFactory.getLogger(KernelChannelsEndpoint.class);

    /** Jupyter Server's gateway client reconnects a dropped channel by itself; what was sent meanwhile is gone. */
    private static final String HOW_TO_RESUME = "reconnect; output sent meanwhile is not sent again";

    private final GatewayKernels kernels;
    private final long clientBacklogBytes;
    private final Map<String, GatewayKernel> connected = new ConcurrentHashMap<>();

    /** @param clientBacklogBytes how much a client may leave unread before it is cut off */
    KernelChannelsEndpoint(GatewayKernels kernels, long clientBacklogBytes) {
        this.kernels = kernels;
        this.clientBacklogBytes = clientBacklogBytes;
    }

    /**
     * An unknown kernel is refused before the upgrade, with a 404 a client can act on; another's with 403 (its
     * channels drive it).
     */
    void beforeUpgrade(Context ctx) {
        try {
            kernels.get(ctx.pathParam("kernel_id"), AccessGuard.user(ctx), true, "connect to");
        } catch (GatewayError e) {
            throw JupyterErrors.upgradeRefused(e);
        }
    }

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(java.time.Duration.ZERO);
            GatewayKernel kernel = kernels.get(ctx.pathParam("kernel_id"), AccessGuard.user(ctx), true, "connect to");
            connected.put(ctx.sessionId(), kernel);
            kernel.connect(ctx, new WsOutbox(ctx, clientBacklogBytes, HOW_TO_RESUME));
        });
        ws.onMessage(this::onMessage);
        ws.onBinaryMessage(ctx -> LOG.warn("kernel {}: ignored a binary frame; this gateway speaks JSON text frames",
                ctx.pathParam("kernel_id")));
        ws.onClose(ctx -> {
            GatewayKernel kernel = connected.remove(ctx.sessionId());
            if (kernel != null) {
                kernel.disconnect(ctx);
            }
        });
    }

    private void onMessage(WsMessageContext ctx) {
        GatewayKernel kernel = connected.get(ctx.sessionId());
        if (kernel == null) {
            return;
        }
        JupyterMessage message;
        try {
            message = Json.read(ctx.message(), JupyterMessage.class);
        } catch (UncheckedIOException e) {
            LOG.warn("kernel {}: ignored a frame that is not a Jupyter message: {}", kernel.id(),
                    e.getCause().getMessage().lines().findFirst().orElse(""));
            return;
        }
        kernel.receive(ctx, message);
    }
}
