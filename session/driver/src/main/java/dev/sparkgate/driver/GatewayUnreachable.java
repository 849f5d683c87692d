package dev.sparkgate.driver;

/** The driver could not link to its gateway; the message is the one line the driver logs before it exits. */
final class GatewayUnreachable extends Exception {

    /** The driver's exit code then (sysexits' EX_UNAVAILABLE): the gateway's log names it beside the line. */
    static final int EXIT_CODE = 69;

    GatewayUnreachable(String message) {
        super(message);
    }
}
