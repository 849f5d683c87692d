package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.client.SessionStream;

/**
 * A paragraph between its start and its end, as Zeppelin's other threads see it: they ask for its progress and may
 * cancel it, before or after its statement exists (while a session starts, say).
 */
final class RunningParagraph {

    private SessionStream stream;
    private int statementId = -1;
    private boolean cancelRequested;
    private volatile double fraction;

    /** The paragraph's statement was submitted; a cancel that came first is passed on now. */
    synchronized void submitted(SessionStream stream, int statementId) {
        this.stream = stream;
        this.statementId = statementId;
        if (cancelRequested) {
            stream.cancel(statementId);
        }
    }

    synchronized void cancel() {
        cancelRequested = true;
        if (stream != null) {
            stream.cancel(statementId);
        }
    }

    synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    void progress(double fraction) {
        this.fraction = fraction;
    }

    /** Zeppelin's progress: a percentage. */
    int percent() {
        return (int) Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    }
}
