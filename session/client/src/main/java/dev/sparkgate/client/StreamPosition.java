package dev.sparkgate.client;

/**
 * Where a client is in its session's numbered events ({@code seq}), so that a new connection resumes right after the
 * last event it delivered: nothing lost, nothing twice.
 */
final class StreamPosition {

    /** The first connection asks for nothing of the past: a new client cares only for what it submits. */
    static final long FROM_NOW = Long.MAX_VALUE;

    private long lastDelivered = -1;

    /** Whether the event numbered {@code seq} is new; if it is, it counts as delivered. */
    synchronized boolean advance(long seq) {
        if (seq <= lastDelivered) {
            return false;
        }
        lastDelivered = seq;
        return true;
    }

    /**
     * The {@code since} of a resuming connection. Before any event arrived the client does not know where the session
     * stood when it connected, so it asks for everything: none of it was delivered, so none of it comes twice, and
     * events of statements that are not the client's pass it by.
     */
    synchronized long resumeSince() {
        return lastDelivered < 0 ? 0 : lastDelivered;
    }
}
