package dev.sparkgate.protocol;

/**
 * A session's state, with Livy's names (sparkmagic refuses any other). The gateway decides it; every client reads
 * it through this one enum, so "ended" means the same thing everywhere.
 */
public enum SessionState {
    not_started, starting, recovering, idle, running, busy, shutting_down, error, dead, killed, success;

    /** Whether the driver is not up yet, but may still come. */
    public boolean starting() {
        return this == not_started || this == starting || this == recovering;
    }

    /** Whether statements may be submitted: the driver is up and has not been told to stop. */
    public boolean active() {
        return this == idle || this == busy || this == running;
    }

    /** Whether the session is over for good: its driver is gone and will not come back. */
    public boolean ended() {
        return this == error || this == dead || this == killed || this == success;
    }

    /** Whether the session will never run another statement: it ended, or is being shut down. */
    public boolean over() {
        return ended() || this == shutting_down;
    }
}
