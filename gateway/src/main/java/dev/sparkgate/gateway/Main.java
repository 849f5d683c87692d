package dev.sparkgate.gateway;

/** {@code java -jar sparkgate-gateway.jar}: the gateway on the embedded default, configured from the environment. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        GatewayConfig config = GatewayConfig.fromEnvironment(System.getenv());
        Gateway gateway = Gateway.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-shutdown"));
    }
}
