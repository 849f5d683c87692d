package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.jupyter.JupyterMessage;
import dev.sparkgate.protocol.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ColdPathTest {

    @Test
    void theWholeCellPathRunsAtStartAndLeavesTheCodecAsItWas() throws Exception {
        // given the codec a kernel signs its messages with
        WireCodec codec = new WireCodec(new MessageSigner("secret-key", "hmac-sha256"));

        // when the kernel walks a cell's code path as it starts, for each kind of kernel
        // then every step of it ran (a message type the protocol can no longer write or read would stop it short)
        for (Kind kind : List.of(Kind.pyspark, Kind.spark, Kind.sql)) {
            assertThat(ColdPath.walk(codec, kind)).as("the cold path of a %s kernel", kind).isTrue();
        }

        // and the codec still frames and verifies real messages as before
        JupyterMessage request = JupyterMessage.create("execute_request",
                Map.of("code", "1+1"), null, "shell", "client", "alice");
        assertThat(codec.decode(codec.encode(List.of(), request), "shell").message().content())
                .isEqualTo(Map.of("code", "1+1"));
    }

    @Test
    void warmingWaitsForTheSessionAndEndsWhetherItStartedOrNot() throws Exception {
        WireCodec codec = new WireCodec(new MessageSigner("secret-key", "hmac-sha256"));

        // given a session that started, and one that could not
        CompletableFuture<Void> started = CompletableFuture.completedFuture(null);
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(new IllegalStateException("no gateway"));

        // when the kernel warms its cell path for each, then either way the warming ends and leaves the codec usable
        for (CompletableFuture<Void> sessionReady : List.of(started, failed)) {
            CompletableFuture.runAsync(() -> ColdPath.warm(codec, Kind.pyspark, sessionReady))
                    .get(120, TimeUnit.SECONDS);
        }
        JupyterMessage request = JupyterMessage.create("kernel_info_request", Map.of(), null, "shell", "c", "alice");
        assertThat(codec.decode(codec.encode(List.of(), request), "shell").message().msgType())
                .isEqualTo("kernel_info_request");
    }
}
