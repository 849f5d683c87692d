package dev.sparkgate.gateway.jupyter;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.jupyter.JupyterMessage;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A client of a kernel's channels WebSocket, as JupyterLab is one: it sends requests and records every message. */
public final class ChannelsClient extends WebSocketClient implements AutoCloseable {

    private final String clientSession = UUID.randomUUID().toString();
    private final List<JupyterMessage> received = new ArrayList<>();

    private ChannelsClient(URI uri) {
        super(uri);
    }

    static ChannelsClient connect(URI gateway, String kernelId) {
        return connect(gateway, kernelId, null);
    }

    /** Connects with {@code token} (as {@code ?token=}, as Jupyter Server's gateway client may send it), or none. */
    public static ChannelsClient connect(URI gateway, String kernelId, String token) {
        ChannelsClient client = new ChannelsClient(URI.create("ws://" + gateway.getAuthority() + "/api/kernels/"
                + kernelId + "/channels?session_id=" + UUID.randomUUID() + (token == null ? "" : "&token=" + token)));
        try {
            if (!client.connectBlocking(10, TimeUnit.SECONDS)) {
                throw new AssertionError("could not connect to the channels of kernel " + kernelId);
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return client;
    }

    /** Sends a request and returns it, so its replies and outputs can be found by their parent. */
    JupyterMessage request(String channel, String msgType, Map<String, Object> content) {
        JupyterMessage request = new JupyterMessage(Map.of("msg_id", UUID.randomUUID().toString(),
                "msg_type", msgType, "username", "tester", "session", clientSession,
                "date", Instant.now().toString(), "version", "5.3"), null, null, content, channel, null);
        send(Json.write(request));
        return request;
    }

    /**
     * Asks for kernel_info until it is answered, as jupyter_client's {@code wait_for_ready} does: a Jupyter Server in
     * gateway mode drops what a client sends before its own connection to the gateway is up (jupyter_server 1.23).
     */
    public ChannelsClient awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JupyterMessage info = request("shell", "kernel_info_request", Map.of());
            try {
                await(m -> isChildOf(m, info) && m.msgType().equals("kernel_info_reply"), Duration.ofSeconds(1));
                return this;
            } catch (AssertionError unanswered) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the kernel did not answer kernel_info within " + timeout, unanswered);
                }
            }
        }
    }

    public JupyterMessage execute(String code) {
        return request("shell", "execute_request", Map.of("code", code, "silent", false, "store_history", true,
                "user_expressions", Map.of(), "allow_stdin", false, "stop_on_error", true));
    }

    /** Waits for the kernel to go idle after {@code request}, then returns the messages it caused, in order. */
    public List<JupyterMessage> awaitIdle(JupyterMessage request, Duration timeout) {
        await(m -> isChildOf(m, request) && m.msgType().equals("status")
                && "idle".equals(m.content().get("execution_state")), timeout);
        return childrenOf(request);
    }

    synchronized List<JupyterMessage> childrenOf(JupyterMessage request) {
        return received.stream().filter(m -> isChildOf(m, request)).toList();
    }

    public JupyterMessage reply(JupyterMessage request) {
        return childrenOf(request).stream().filter(m -> m.msgType().endsWith("_reply") && !m.channel().equals("iopub"))
                .findFirst().orElseThrow(() -> new AssertionError("no reply to " + request.msgType()));
    }

    synchronized JupyterMessage await(Predicate<JupyterMessage> match, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int seen = 0;
        while (true) {
            for (; seen < received.size(); seen++) {
                if (match.test(received.get(seen))) {
                    return received.get(seen);
                }
            }
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                throw new AssertionError("no matching message within " + timeout + "; got "
                        + received.stream().map(m -> m.channel() + ":" + m.msgType()).toList());
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean isChildOf(JupyterMessage message, JupyterMessage request) {
        return request.msgId().equals(message.parentHeader().get("msg_id"));
    }

    @Override
    public synchronized void onMessage(String message) {
        received.add(Json.read(message, JupyterMessage.class));
        notifyAll();
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public synchronized void onClose(int code, String reason, boolean remote) {
        notifyAll();
    }

    @Override
    public void onError(Exception ex) {
    }
}
