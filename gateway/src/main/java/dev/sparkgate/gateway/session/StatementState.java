package dev.sparkgate.gateway.session;

/** Livy's statement states. */
public enum StatementState {
    waiting, running, available, cancelling, cancelled
}
