package dev.sparkgate.gateway.link;

import dev.sparkgate.gateway.driver.DriverLink;
import dev.sparkgate.gateway.metrics.GatewayMetrics;
import dev.sparkgate.gateway.session.SessionManager;
import dev.sparkgate.gateway.websocket.WsSender;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.Json;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /driver/{id}}: where a session's driver dials back. Only a driver holding its session's secret gets a link.
 */
public final class DriverLinkEndpoint {

    public static final String PATH = "/driver/{id}";
    private static final Logger LOG = LoggerFactory.getLogger(DriverLinkEndpoint.class);

    private final SessionManager sessions;
    private final GatewayMetrics metrics;
    private final Map<String, Link> links = new ConcurrentHashMap<>();

    public DriverLinkEndpoint(SessionManager sessions, GatewayMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
    }

    /** Refuses the upgrade itself (HTTP 401) when the secret is wrong: no secret, no link. */
    public void beforeUpgrade(Context ctx) {
        String authorization = ctx.header("Authorization");
        String secret = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        boolean authentic = sessions.byId(sessionId(ctx.pathParam("id"))).map(s -> s.authenticates(secret)).orElse(false);
        if (!authentic) {
            LOG.warn("refused a driver link for session {} from {}: wrong or missing secret", ctx.pathParam("id"), ctx.ip());
            throw new UnauthorizedResponse("A driver link needs its session's secret.");
        }
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            int id = sessionId(ctx.pathParam("id"));
            ctx.session.setIdleTimeout(java.time.Duration.ZERO);
            Link link = new Link(ctx);
            boolean attached = sessions.byId(id).map(s -> s.attachLink(link)).orElse(false);
            if (!attached) {
                ctx.closeSession(StatusCode.POLICY_VIOLATION, "session " + id + " takes no driver link now");
                return;
            }
            links.put(ctx.sessionId(), link);
        });
        ws.onMessage(ctx -> {
            long received = System.nanoTime();
            int id = sessionId(ctx.pathParam("id"));
            DriverMessage message = Json.read(ctx.message(), DriverMessage.class);
            try {
                sessions.byId(id).ifPresent(s -> s.onDriverMessage(message));
                metrics.relayed(GatewayMetrics.Relay.out, received);
            } catch (RuntimeException e) {
                // A fault in passing one message on must not cost the session its driver (an uncaught exception
                // here would close the link, and a driver without its link stops).
                LOG.error("session {}: a driver message could not be passed on ({}); the link stays up", id, e.toString(), e);
            }
        });
        ws.onClose(ctx -> {
            Link link = links.remove(ctx.sessionId());
            if (link != null) {
                sessions.byId(sessionId(ctx.pathParam("id"))).ifPresent(s -> s.onLinkClosed(link));
            }
        });
    }

    private static int sessionId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private record Link(WsContext ctx) implements DriverLink {
        @Override
        public void send(DriverCommand command) {
            WsSender.send(ctx, command);
        }

        @Override
        public void close() {
            ctx.closeSession();
        }
    }
}
