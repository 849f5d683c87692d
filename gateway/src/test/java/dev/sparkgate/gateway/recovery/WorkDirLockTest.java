package dev.sparkgate.gateway.recovery;

import dev.sparkgate.gateway.testing.GatewayProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One gateway per work directory on the embedded default: a second gateway on the directory of a running one refuses
 * to start, in one line that names the directory, the holder's pid and port, and what to do. The lock is the OS's, so
 * a gateway killed with {@code kill -9} leaves nothing that blocks the restart that takes its sessions back.
 */
class WorkDirLockTest {

    @Test
    void aSecondGatewayOnAWorkDirectoryInUseRefusesAndAKilledGatewayDoesNotBlockItsRestart() throws Exception {
        Path work = GatewayProcess.freshWorkDir("lock");
        int port = GatewayProcess.freePort();
        GatewayProcess first = GatewayProcess.start(work, port, Map.of(), work.resolve("first.log"));
        GatewayProcess third = null;
        try {
            // when: a second gateway starts on the same work directory, on another port
            int otherPort = GatewayProcess.freePort();
            GatewayProcess second = GatewayProcess.launch(work, otherPort, Map.of(), work.resolve("second.log"));

            // then: it exits with a one-line error naming the directory, the first gateway and the fix
            assertThat(second.exitCode(Duration.ofSeconds(60))).as("the second gateway's exit code").isEqualTo(1);
            assertThat(second.output().lines().filter(line -> line.startsWith("sparkgate: ")).toList())
                    .as("its output: %s", second.output())
                    .containsExactly("sparkgate: The work directory " + work + " is in use by another gateway (pid "
                            + first.pid() + ", port " + port + "): stop that gateway, or give this one a work "
                            + "directory of its own (SPARKGATE_WORK_DIR).");
            assertThat(second.output()).doesNotContain("Exception", "\tat ");
            assertThat(GatewayProcess.answers(first.livy())).as("the first gateway goes on").isTrue();

            // and: once the first is killed (kill -9), a gateway starts on the directory at once
            first.kill();
            third = GatewayProcess.start(work, port, Map.of(), work.resolve("third.log"));
            assertThat(third.livy().get("/sessions").status()).isEqualTo(200);
        } finally {
            first.close();
            if (third != null) {
                third.close();
            }
        }
    }
}
