package dev.sparkgate.driver;

import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.Json;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * The driver's end of its link to the gateway: a WebSocket the driver dials, authenticated with the per-session
 * secret the gateway handed it. Commands arrive here; messages leave in the order they are sent.
 */
final class GatewayLink extends WebSocketClient {

    /** Between two tries to dial: a gateway that is starting, or a network that is settling, gets a moment. */
    private static final long RETRY_MILLIS = 1_000;
    /**
     * Re-dialling a gateway that went away: the first try at once (a dropped connection to a gateway that is still
     * there), then twice the wait each time up to {@link #REDIAL_MAX_MILLIS}, so a restarting gateway is found within
     * a few seconds of listening again and a gone one is not hammered.
     */
    private static final long REDIAL_FIRST_MILLIS = 50;
    private static final long REDIAL_MAX_MILLIS = 2_000;
    /** The gateway closes a link with this when the session will take none (it is over): the driver stops. */
    static final int NOT_WANTED = CloseFrame.POLICY_VALIDATION;

    private final BiConsumer<GatewayLink, DriverCommand> commands;
    private final IntConsumer onLost;
    /** Only a link that opened is lost when it closes; a try that failed is just a try. */
    private volatile boolean opened;
    private volatile String problem;
    private volatile boolean refused;

    private GatewayLink(URI uri, String secret, int connectTimeoutMillis, BiConsumer<GatewayLink, DriverCommand> commands,
                        IntConsumer onLost) {
        super(uri, new Draft_6455(), Map.of("Authorization", "Bearer " + secret), connectTimeoutMillis);
        this.commands = commands;
        this.onLost = onLost;
        setConnectionLostTimeout(30);
        // A statement's events are small messages sent back to back (started, then finished a millisecond later):
        // with Nagle's algorithm the second waits for the gateway's delayed ACK of the first, about 40 ms.
        setTcpNoDelay(true);
    }

    /**
     * Dials the gateway until it answers or {@code timeout} has passed. A gateway that answers and refuses (a wrong
     * secret, a session that is gone) is not tried again: it would refuse again.
     *
     * @throws GatewayUnreachable naming the address, what went wrong last, and what to do
     */
    static GatewayLink connect(URI uri, String secret, Duration timeout, BiConsumer<GatewayLink, DriverCommand> commands,
                               IntConsumer onLost) throws InterruptedException, GatewayUnreachable {
        return dial(uri, secret, timeout, RETRY_MILLIS, RETRY_MILLIS, commands, onLost);
    }

    /**
     * Dials the gateway again after the link was lost, with backoff, until it answers or {@code giveUpAfter} (the
     * orphan timeout) has passed. {@code onLost} hears the close code of the link when it is lost again.
     *
     * @throws GatewayUnreachable when the gateway refused this driver or never answered
     */
    static GatewayLink redial(URI uri, String secret, Duration giveUpAfter, BiConsumer<GatewayLink, DriverCommand> commands,
                              IntConsumer onLost) throws InterruptedException, GatewayUnreachable {
        return dial(uri, secret, giveUpAfter, REDIAL_FIRST_MILLIS, REDIAL_MAX_MILLIS, commands, onLost);
    }

    private static GatewayLink dial(URI uri, String secret, Duration timeout, long firstDelayMillis, long maxDelayMillis,
                                    BiConsumer<GatewayLink, DriverCommand> commands, IntConsumer onLost)
            throws InterruptedException, GatewayUnreachable {
        long deadline = System.nanoTime() + timeout.toNanos();
        long delay = firstDelayMillis;
        String lastProblem = "no answer";
        for (long left = timeout.toMillis(); left > 0; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
            GatewayLink link = new GatewayLink(uri, secret, (int) Math.min(left, Integer.MAX_VALUE), commands, onLost);
            if (link.connectBlocking(left, TimeUnit.MILLISECONDS)) {
                return link;
            }
            link.close();
            lastProblem = link.problem != null ? link.problem : "no answer within " + left + " ms";
            if (link.refused) {
                throw new GatewayUnreachable("the gateway at " + uri + " refused this driver (" + lastProblem + "): "
                        + "its session was deleted or its secret does not match. Start a new session.");
            }
            Thread.sleep(Math.max(0, Math.min(delay, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            delay = Math.min(maxDelayMillis, delay * 2);
        }
        throw new GatewayUnreachable("cannot reach the gateway at " + uri + " within " + timeout.toSeconds() + " s ("
                + lastProblem + "). Check that the gateway is running and that this machine can reach that address "
                + "(the gateway's SPARKGATE_HOST and port, a firewall or NetworkPolicy in between); "
                + "SPARKGATE_DRIVER_CONNECT_TIMEOUT gives a slow network longer.");
    }

    /** Sends {@code message} if the link is open; a message for a link that is gone is dropped (events are kept). */
    synchronized void send(DriverMessage message) {
        if (isOpen()) {
            try {
                send(Json.write(message));
            } catch (WebsocketNotConnectedException closedMeanwhile) {
                // the link closed between the check and the send: its loss is reported, and events kept, elsewhere
            }
        }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        opened = true;
    }

    @Override
    public void onMessage(String message) {
        commands.accept(this, Json.read(message, DriverCommand.class));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        if (opened) {
            onLost.accept(code);
            return;
        }
        // A gateway that answered the handshake with an error status decided; no answer at all is worth another try.
        refused = code != CloseFrame.NEVER_CONNECTED && code != CloseFrame.ABNORMAL_CLOSE;
        if (problem == null || refused) {
            problem = reason == null || reason.isBlank() ? "closed with code " + code : reason;
        }
    }

    @Override
    public void onError(Exception e) {
        if (opened) {
            System.err.println("sparkgate-driver: link to the gateway failed: " + e);
        } else {
            problem = e.toString();
        }
    }
}
