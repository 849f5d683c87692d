package dev.sparkgate.gateway;

import dev.sparkgate.gateway.placement.WorkDirLock;

/** {@code java -jar sparkgate-gateway.jar}: the gateway on the embedded default, configured from the environment. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        GatewayConfig config = GatewayConfig.fromEnvironment(System.getenv());
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (WorkDirLock.WorkDirInUse e) {
            // An operator's mistake, not a failure: the one line that says what to do, no stack trace.
            System.err.println("sparkgate: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-shutdown"));
    }
}
