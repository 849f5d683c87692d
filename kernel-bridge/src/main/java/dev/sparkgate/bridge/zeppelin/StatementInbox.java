package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.bridge.client.GatewayException;
import dev.sparkgate.protocol.StatementEvent;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The events of one statement, from the stream's thread to the paragraph's: the stream delivers them as they arrive
 * (even before the paragraph knows its statement's id), the paragraph takes them one by one.
 */
final class StatementInbox {

    private final BlockingQueue<StatementEvent> events = new LinkedBlockingQueue<>();
    private volatile String lostBecause;

    void deliver(StatementEvent event) {
        events.add(event);
    }

    /** The connection closed: once the events that did arrive are taken, the paragraph learns why. */
    void lose(String reason) {
        lostBecause = reason;
    }

    /** The next event, waiting for it as long as the statement runs. */
    StatementEvent next() throws InterruptedException {
        while (true) {
            StatementEvent event = events.poll(200, TimeUnit.MILLISECONDS);
            if (event != null) {
                return event;
            }
            if (lostBecause != null && events.isEmpty()) {
                throw new GatewayException(0, lostBecause);
            }
        }
    }
}
