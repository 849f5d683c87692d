package dev.sparkgate.gateway.testing;

import dev.sparkgate.gateway.Gateway;
import dev.sparkgate.gateway.GatewayConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real gateway on a free loopback port, launching real driver JVMs from the build's driver runtime. */
public final class TestGateway implements AutoCloseable {

    /** The Spark line ({@code 3.5}, {@code 4.1}) the test gateways pin; 3.5 unless this system property says. */
    public static final String SPARK_LINE_PROPERTY = "sparkgate.test.sparkLine";

    private final Gateway gateway;

    private TestGateway(Gateway gateway) {
        this.gateway = gateway;
    }

    public static TestGateway start() {
        return start(Map.of());
    }

    /** {@code env} overrides the environment the gateway is configured from (SPARKGATE_*). */
    public static TestGateway start(Map<String, String> env) {
        Map<String, String> settings = new HashMap<>();
        settings.put("SPARKGATE_PORT", "0");
        settings.put("SPARKGATE_DRIVER_HOME", System.getProperty("sparkgate.driver.home"));
        // A work directory per gateway: a gateway takes back the sessions recorded in its work directory, and
        // gateways of a test class that run at once must not take each other's.
        settings.put("SPARKGATE_WORK_DIR", Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
                .toAbsolutePath().resolve("gateway-" + System.nanoTime()).toString());
        // Two or three drivers run at once in a test: keep each one small.
        settings.put("SPARKGATE_DRIVER_MEMORY", "768m");
        // The suites written for Spark 3.5 run on its runtime, as an operator pins a line; RuntimesTest runs both.
        // -Dsparkgate.test.sparkLine=4.1 pins 4.1 instead, to run a suite on that line by hand.
        settings.put("SPARKGATE_SPARK_CONF", "spark.ui.enabled=true,spark.sql.shuffle.partitions=4,sparkgate.sparkVersion="
                + System.getProperty(SPARK_LINE_PROPERTY, "3.5"));
        settings.putAll(env);
        return new TestGateway(Gateway.start(GatewayConfig.fromEnvironment(settings)));
    }

    public Gateway gateway() {
        return gateway;
    }

    public LivyClient livy() {
        return new LivyClient(gateway.baseUri(), null);
    }

    public LivyClient livy(String token) {
        return new LivyClient(gateway.baseUri(), token);
    }

    public StreamClient stream(int sessionId) {
        return StreamClient.connect(gateway.baseUri(), sessionId, null, 0);
    }

    @Override
    public void close() {
        gateway.close();
    }
}
