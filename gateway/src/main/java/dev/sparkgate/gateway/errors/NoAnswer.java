package dev.sparkgate.gateway.errors;

import java.time.Duration;

/** The interpreter did not answer a question (completion, say) in time: it is busy running a statement. */
public final class NoAnswer extends GatewayError {

    public NoAnswer(Duration waited) {
        super("The interpreter did not answer within " + waited.toSeconds() + " s; try again when the session is idle.");
    }
}
