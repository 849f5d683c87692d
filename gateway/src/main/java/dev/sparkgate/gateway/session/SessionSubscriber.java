package dev.sparkgate.gateway.session;

import dev.sparkgate.protocol.StreamUpdate;

/**
 * Someone watching a session: a stream client, a Jupyter channel. Called with the session's lock held and in
 * order, so it must not block: queue the update and return.
 */
public interface SessionSubscriber {

    void send(StreamUpdate update);

    /** The session is gone; no more updates will come. */
    default void sessionClosed() {
    }
}
