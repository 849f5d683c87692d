package dev.sparkgate.bridge.jupyter;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.jupyter.JupyterMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Jupyter's ZeroMQ framing: {@code [identities..., "<IDS|MSG>", signature, header, parent_header, metadata,
 * content, buffers...]}. The identities route a reply back to the client that asked.
 */
final class WireCodec {

    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final TypeReference<Map<String, Object>> DICT = new TypeReference<>() {
    };

    /** A message as it travelled: who sent it, and the message. */
    record Envelope(List<byte[]> identities, JupyterMessage message) {
    }

    /** A message that cannot be taken: unsigned or wrongly signed, or not Jupyter's framing. */
    static final class RejectedMessage extends Exception {
        RejectedMessage(String why) {
            super(why);
        }
    }

    private final MessageSigner signer;

    WireCodec(MessageSigner signer) {
        this.signer = signer;
    }

    Envelope decode(List<byte[]> frames, String channel) throws RejectedMessage {
        int delimiter = indexOfDelimiter(frames);
        if (delimiter < 0 || frames.size() < delimiter + 6) {
            throw new RejectedMessage("not a Jupyter message (" + frames.size() + " frames, no <IDS|MSG>)");
        }
        String signature = new String(frames.get(delimiter + 1), StandardCharsets.US_ASCII);
        byte[] header = frames.get(delimiter + 2);
        byte[] parent = frames.get(delimiter + 3);
        byte[] metadata = frames.get(delimiter + 4);
        byte[] content = frames.get(delimiter + 5);
        if (!signer.verify(signature, header, parent, metadata, content)) {
            throw new RejectedMessage("wrong signature: the client does not hold this kernel's key");
        }
        JupyterMessage message = new JupyterMessage(dict(header), dict(parent), dict(metadata), dict(content), channel,
                List.of());
        return new Envelope(List.copyOf(frames.subList(0, delimiter)), message);
    }

    /** The frames of {@code message} after {@code prefix} (a reply's identities, or an iopub topic). */
    List<byte[]> encode(List<byte[]> prefix, JupyterMessage message) {
        byte[] header = json(message.header());
        byte[] parent = json(message.parentHeader());
        byte[] metadata = json(message.metadata());
        byte[] content = json(message.content());
        List<byte[]> frames = new ArrayList<>(prefix);
        frames.add(DELIMITER);
        frames.add(signer.sign(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII));
        frames.addAll(List.of(header, parent, metadata, content));
        return frames;
    }

    private static int indexOfDelimiter(List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, Object> dict(byte[] json) throws RejectedMessage {
        try {
            return json.length == 0 ? Map.of() : Json.MAPPER.readValue(json, DICT);
        } catch (IOException e) {
            throw new RejectedMessage("a message part is not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static byte[] json(Object value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }
}
