package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.jupyter.IopubMapper;
import dev.sparkgate.jupyter.JupyterMessage;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cell's code path run once, with nothing sent, while the session starts: the first time the kernel meets each
 * message type, Jackson introspects it and builds its (de)serializers and the JVM loads and links the classes, which
 * cost the first cell ~30 ms of the kernel's ~50 when measured (bench/results/jupyter-kernel-latency.md). Without
 * this the user's first cell pays it, even when the session has been idle for minutes. {@link KernelMain} runs it on
 * a thread of its own as the kernel starts, while the session boots; a failure here is harmless and only logged.
 */
final class ColdPath {

    private static final System.Logger LOG = System.getLogger("sparkgate.kernel");

    private ColdPath() {
    }

    /**
     * Encodes and decodes one cell's messages, as a cell would, through {@code codec}; nothing leaves the process.
     * Returns whether the whole path ran.
     */
    static boolean walk(WireCodec codec, Kind kind) {
        try {
            // the kernel's side of the stream: the request it sends, the updates it reads back
            Json.write(new StreamRequest.Execute(0, "1+1", kind.name()));
            StatementEvent.Finished finished = StatementEvent.Finished.ok(0, Map.of(Mime.TEXT, "2"));
            for (StreamUpdate update : List.of(new StreamUpdate.Submitted(0, 0),
                    new StreamUpdate.Event(0, new StatementEvent.Started(0, 0)),
                    new StreamUpdate.Event(0, new StatementEvent.Stream(0, StatementEvent.StreamName.stdout, "")),
                    new StreamUpdate.Event(0, finished))) {
                Json.read(Json.write(update), StreamUpdate.class);
            }
            // Jupyter's side: an execute_request read, its outputs mapped, framed and signed
            JupyterMessage request = JupyterMessage.create("execute_request", Map.of("code", "1+1"), null,
                    JupyterMessage.SHELL, "cold-path", "cold-path");
            codec.decode(codec.encode(List.of(), request), JupyterMessage.SHELL);
            List<IopubMapper.Output> outputs = new ArrayList<>();
            outputs.add(new IopubMapper.Output("status", Map.of("execution_state", "busy")));
            outputs.add(new IopubMapper.Output("execute_input", Map.of("code", "1+1", "execution_count", 1)));
            outputs.addAll(new IopubMapper("cold-path").map(finished, 1, false));
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("status", "ok");
            reply.put("execution_count", 1);
            reply.put("payload", List.of());
            reply.put("user_expressions", Map.of());
            outputs.add(new IopubMapper.Output("execute_reply", reply));
            for (IopubMapper.Output output : outputs) {
                codec.encode(List.of(), JupyterMessage.create(output.msgType(), output.content(), request,
                        JupyterMessage.IOPUB, "cold-path", "cold-path"));
            }
            return true;
        } catch (RuntimeException | WireCodec.RejectedMessage e) {
            LOG.log(System.Logger.Level.DEBUG, "warming the cell's code path failed (harmless): " + e);
            return false;
        }
    }
}
