package dev.sparkgate.driver;

import com.sun.net.httpserver.HttpServer;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A driver that cannot link to its gateway gives up within its connect timeout, says why in one line naming the
 * address and the fix, and exits non-zero, so its session fails with that line instead of waiting out its start.
 * Each test runs a real driver JVM (SessionDriver's main) as the gateway would start it.
 */
class GatewayUnreachableTest {

    @Test
    void aDriverWhoseGatewayIsNotThereGivesUpWithinItsTimeoutInOneLine(@TempDir Path dir) throws Exception {
        // given an address nobody listens on
        String link = "ws://127.0.0.1:" + freePort() + "/driver/7";

        // when a driver dials it with a 3 s connect timeout
        long started = System.nanoTime();
        Exit exit = runDriver(dir, link, "3s");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then it tried for 3 s, not forever, and left one line naming the address and what to do
        assertThat(exit.code()).as("exit code; output: %s", exit.lines()).isEqualTo(GatewayUnreachable.EXIT_CODE);
        assertThat(took).as("time from start to exit").isBetween(Duration.ofSeconds(3), Duration.ofSeconds(30));
        assertThat(exit.lines()).as("the driver's output").hasSize(1);
        assertThat(exit.lines().get(0)).contains("session 7", "cannot reach the gateway at " + link, "within 3 s",
                "Connection refused", "Check that the gateway is running", "SPARKGATE_DRIVER_CONNECT_TIMEOUT");
    }

    @Test
    void aGatewayThatRefusesTheDriverIsNotDialledAgain(@TempDir Path dir) throws Exception {
        // given a server at the link's address that refuses the handshake, as the gateway refuses a wrong secret
        HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        gateway.start();
        try {
            String link = "ws://127.0.0.1:" + gateway.getAddress().getPort() + "/driver/7";

            // when a driver dials it with a generous timeout
            long started = System.nanoTime();
            Exit exit = runDriver(dir, link, "2m");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            // then it stops at the refusal, long before the timeout, and says so in one line
            assertThat(exit.code()).as("exit code; output: %s", exit.lines()).isEqualTo(GatewayUnreachable.EXIT_CODE);
            assertThat(took).as("time from start to exit").isLessThan(Duration.ofSeconds(30));
            assertThat(exit.lines()).as("the driver's output").hasSize(1);
            assertThat(exit.lines().get(0)).contains("the gateway at " + link + " refused this driver", "401",
                    "Start a new session");
        } finally {
            gateway.stop(0);
        }
    }

    @Test
    void theConnectTimeoutReadsSecondsMinutesAndMilliseconds() {
        assertThat(SessionDriver.connectTimeout(null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(SessionDriver.connectTimeout("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(SessionDriver.connectTimeout("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(SessionDriver.connectTimeout("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(SessionDriver.connectTimeout("500ms")).isEqualTo(Duration.ofMillis(500));
    }

    private record Exit(int code, List<String> lines) {
    }

    /** Runs SessionDriver's main as the gateway does: its link, its secret file and its spec in the environment. */
    private static Exit runDriver(Path dir, String link, String connectTimeout) throws Exception {
        Path secret = Files.writeString(dir.resolve("session.secret"), "test-secret");
        Path output = dir.resolve("driver.log");
        SessionSpec spec = new SessionSpec(7, "unlinked", Kind.sql, "tester", Map.of(), SessionSpec.DEFAULT_SQL_ROW_CAP,
                null);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SessionDriver.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put(SessionDriver.ENV_GATEWAY_URL, link);
        builder.environment().put(SessionDriver.ENV_SECRET_FILE, secret.toString());
        builder.environment().put(SessionDriver.ENV_SPEC, Json.write(spec));
        builder.environment().put(SessionDriver.ENV_CONNECT_TIMEOUT, connectTimeout);
        Process driver = builder.start();
        try {
            assertThat(driver.waitFor(3, TimeUnit.MINUTES)).as("the driver exited within 3 minutes; it wrote: %s",
                    Files.readString(output)).isTrue();
            return new Exit(driver.exitValue(), Files.readAllLines(output, StandardCharsets.UTF_8));
        } finally {
            driver.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
