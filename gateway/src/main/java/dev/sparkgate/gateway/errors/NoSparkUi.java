package dev.sparkgate.gateway.errors;

/**
 * The session has no Spark UI to show now: its driver is still starting, or it has ended (the UI lives and dies with
 * the driver's SparkContext). The message says which, and what to do.
 */
public final class NoSparkUi extends GatewayError {

    public NoSparkUi(String message) {
        super(message);
    }
}
