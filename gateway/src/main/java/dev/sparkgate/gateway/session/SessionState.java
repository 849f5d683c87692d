package dev.sparkgate.gateway.session;

/** Livy's session states (sparkmagic refuses any other name). */
public enum SessionState {
    not_started, starting, recovering, idle, running, busy, shutting_down, error, dead, killed, success;

    /** Whether statements may be submitted: the driver is up and has not been told to stop. */
    public boolean active() {
        return this == idle || this == busy || this == running;
    }

    /** Whether the session is over for good. */
    public boolean ended() {
        return this == error || this == dead || this == killed || this == success;
    }
}
