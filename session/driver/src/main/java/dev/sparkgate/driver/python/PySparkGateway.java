package dev.sparkgate.driver.python;

import org.apache.spark.sql.SparkSession;
import py4j.ClientServer;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The Py4J server through which the session's Python drives this JVM, as PySpark's own shell does when
 * spark-submit starts it: loopback only, and every connection must present the secret.
 *
 * <p>It is a {@link ClientServer}, Py4J's pinned-thread mode and PySpark's default: each Python thread
 * talks to its own JVM thread, so a job group set by the cell's thread holds for the jobs it starts, and
 * cancelling that group cancels them.
 */
final class PySparkGateway implements AutoCloseable {

    private final ClientServer server;
    private final String secret;

    private PySparkGateway(ClientServer server, String secret) {
        this.server = server;
        this.secret = secret;
    }

    static PySparkGateway start(SparkSession spark) {
        String secret = newSecret();
        ClientServer server = new ClientServer.ClientServerBuilder(new PySparkEntryPoint(spark))
                .javaAddress(InetAddress.getLoopbackAddress())
                .javaPort(0)
                .authToken(secret)
                .build();
        return new PySparkGateway(server, secret);
    }

    int port() {
        return server.getJavaServer().getListeningPort();
    }

    /** What PySpark reads to attach to this JVM instead of launching one. */
    Map<String, String> environment() {
        return Map.of(
                "PYSPARK_GATEWAY_PORT", Integer.toString(port()),
                "PYSPARK_GATEWAY_SECRET", secret,
                "PYSPARK_PIN_THREAD", "true");
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
