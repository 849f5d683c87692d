package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.jupyter.JupyterMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireCodecTest {

    private final WireCodec codec = new WireCodec(new MessageSigner("secret-key", "hmac-sha256"));

    @Test
    void aSignedMessageComesBackWithTheIdentitiesThatRouteItsReply() throws Exception {
        // given a request as a client frames it, behind the identity the ROUTER socket put in front
        JupyterMessage request = JupyterMessage.create("execute_request", Map.of("code", "1 + 1"), null, "shell",
                "client-session", "alice");
        List<byte[]> identity = List.of("client-1".getBytes(StandardCharsets.UTF_8));

        // when it is framed, signed and read back
        WireCodec.Envelope envelope = codec.decode(codec.encode(identity, request), "shell");

        // then nothing is lost, and the reply can be routed back to the same client
        assertThat(envelope.message().header()).isEqualTo(request.header());
        assertThat(envelope.message().content()).isEqualTo(Map.of("code", "1 + 1"));
        assertThat(envelope.message().channel()).isEqualTo("shell");
        assertThat(envelope.identities()).singleElement()
                .satisfies(id -> assertThat(new String(id, StandardCharsets.UTF_8)).isEqualTo("client-1"));
    }

    @Test
    void aMessageSignedWithAnotherKeyIsRejected() {
        WireCodec stranger = new WireCodec(new MessageSigner("another-key", "hmac-sha256"));
        List<byte[]> frames = stranger.encode(List.of(), JupyterMessage.create("shutdown_request",
                Map.of("restart", false), null, "control", "s", "mallory"));

        assertThatThrownBy(() -> codec.decode(frames, "control"))
                .isInstanceOf(WireCodec.RejectedMessage.class).hasMessageContaining("wrong signature");
    }

    @Test
    void aTamperedContentIsRejected() {
        List<byte[]> frames = new ArrayList<>(codec.encode(List.of(), JupyterMessage.create("execute_request",
                Map.of("code", "1"), null, "shell", "s", "alice")));
        frames.set(frames.size() - 1, "{\"code\":\"rm -rf\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> codec.decode(frames, "shell")).isInstanceOf(WireCodec.RejectedMessage.class);
    }

    @Test
    void withoutAKeyMessagesAreUnsigned() throws Exception {
        WireCodec unsigned = new WireCodec(new MessageSigner("", "hmac-sha256"));
        List<byte[]> frames = unsigned.encode(List.of(), JupyterMessage.create("kernel_info_request", Map.of(), null,
                "shell", "s", "alice"));

        assertThat(new String(frames.get(1), StandardCharsets.US_ASCII)).isEmpty();
        assertThat(unsigned.decode(frames, "shell").message().msgType()).isEqualTo("kernel_info_request");
    }

    @Test
    void aSignerUsedForManyMessagesOnManyThreadsSignsEachAsAFreshSignerWould() throws Exception {
        // given one signer shared by the threads that sign (shell, control, stream) and the one that verifies
        MessageSigner shared = new MessageSigner("secret-key", "hmac-sha256");
        List<byte[][]> messages = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            messages.add(new byte[][] {("{\"msg_id\":\"" + i + "\"}").getBytes(StandardCharsets.UTF_8),
                    "{}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
                    ("{\"code\":\"" + "x".repeat(i) + "\"}").getBytes(StandardCharsets.UTF_8)});
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            // when all of them sign every message at once
            List<Future<List<String>>> signed = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                signed.add(threads.submit(() -> messages.stream().map(parts -> shared.sign(parts)).toList()));
            }

            // then each signature is the one a signer made for that message alone gives: nothing carries over
            List<String> expected = messages.stream()
                    .map(parts -> new MessageSigner("secret-key", "hmac-sha256").sign(parts)).toList();
            for (Future<List<String>> result : signed) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            }
            assertThat(shared.verify(expected.get(7), messages.get(7))).isTrue();
            assertThat(shared.verify(expected.get(7), messages.get(8))).isFalse();
        } finally {
            threads.shutdownNow();
        }
    }
}
