package dev.sparkgate.driver;

import dev.sparkgate.protocol.DriverInfo;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A pooled driver walks its way from a claim to ready once, over a real loopback link, and leaves nothing behind. */
class ClaimPathWarmUpTest {

    private static final SessionSpec POOL_SPEC = new SessionSpec(-1, "pool", Kind.shared, null,
            Map.of("spark.master", "local[1]"), 1000, null);
    private static final DriverInfo READY = new DriverInfo("3.5.6", "2.12.18", "local[1]", "local-1", null, null, 1);

    @Test
    void aWalkDialsALoopbackGatewayAndAnswersItsResumeWithReady() {
        assertThat(ClaimPathWarmUp.walk(POOL_SPEC, READY)).as("the walk reached Ready").isTrue();
    }

    @Test
    void aWalkLeavesNoLinkThreadRunning() throws InterruptedException {
        Set<String> before = webSocketThreads();

        ClaimPathWarmUp.walk(POOL_SPEC, READY);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!before.containsAll(webSocketThreads())) {
            assertThat(System.nanoTime()).as("the walk's link and server threads ended within 10 s; still running: %s",
                    webSocketThreads()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Set<String> webSocketThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> List.of("WebSocket", "connectionLostChecker").stream().anyMatch(name::contains))
                .collect(Collectors.toSet());
    }
}
