package dev.sparkgate.gateway.websocket;

import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.WriteCallback;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one WebSocket client has been sent but not yet taken: writes are asynchronous, so a client that reads slower
 * than a session produces (a stalled browser tab, a paused kernel) would otherwise grow the gateway's heap and keep
 * the session's other clients waiting behind nothing. Past {@code limitBytes} unsent, the client is cut off with a
 * close reason saying what to do (the stream's {@code ?since=} lets it come back without losing an event). A catch-up
 * ({@link #sendCatchUp}: history the client asked for when it connected) is allowed on top of the limit, since it
 * is already held in memory and a client cannot be behind on what it only just asked for.
 */
public final class WsOutbox {

    /** Jetty's policy: a close reason is at most 123 bytes. */
    private static final int MAX_REASON = 123;
    /** The close frame queues behind what the client has not read; a client that does not take it is dropped. */
    private static final long CLOSE_GRACE_SECONDS = 30;
    private static final ScheduledExecutorService CLOSER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ws-outbox-closer");
        thread.setDaemon(true);
        return thread;
    });

    private final WsContext ctx;
    private final long limitBytes;
    private final String howToResume;
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicBoolean cutOff = new AtomicBoolean();

    /** A stream client's outbox: it resumes where it was with {@code ?since=}. */
    public WsOutbox(WsContext ctx, long limitBytes) {
        this(ctx, limitBytes, "reconnect with ?since= to resume");
    }

    /** @param howToResume the close reason's last words: what the client does to come back */
    public WsOutbox(WsContext ctx, long limitBytes, String howToResume) {
        this.ctx = ctx;
        this.limitBytes = limitBytes;
        this.howToResume = howToResume;
    }

    /** Queues {@code text}; never blocks. Returns false once the client has been cut off or has gone. */
    public boolean send(String text) {
        return queue(text, false);
    }

    /** Queues history the client asked for on connecting; it does not count toward the limit. */
    public boolean sendCatchUp(String text) {
        return queue(text, true);
    }

    private boolean queue(String text, boolean catchUp) {
        if (cutOff.get() || !ctx.session.isOpen()) {
            return false;
        }
        // Only live updates are counted: they queue behind any catch-up, and their backlog is how far behind the
        // client is.
        long counted = catchUp ? 0 : text.length();
        if (unsent.addAndGet(counted) > limitBytes) {
            unsent.addAndGet(-counted);
            cutOff();
            return false;
        }
        try {
            ctx.session.getRemote().sendString(text, new WriteCallback() {
                @Override
                public void writeFailed(Throwable x) {
                    unsent.addAndGet(-counted);
                }

                @Override
                public void writeSuccess() {
                    unsent.addAndGet(-counted);
                }
            });
            return true;
        } catch (RuntimeException closedMeanwhile) {
            unsent.addAndGet(-counted);
            return false;  // the peer went away; its close handler unsubscribes it
        }
    }

    private void cutOff() {
        if (cutOff.compareAndSet(false, true)) {
            String reason = "too slow: over " + limitBytes / 1024 + " KiB unread; " + howToResume;
            // Not on the caller's thread: it is a session telling all its clients, which must not wait or re-enter.
            CLOSER.execute(() -> ctx.closeSession(1008, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason));
            CLOSER.schedule(() -> {
                if (ctx.session.isOpen()) {
                    ctx.session.disconnect();
                }
            }, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        }
    }
}
