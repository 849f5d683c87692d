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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A cell's code path run once, with nothing sent, while the session starts: the first time the kernel meets each
 * message type, Jackson introspects it and builds its (de)serializers and the JVM loads and links the classes, which
 * cost the first cell ~30 ms of the kernel's ~50 when measured (bench/results/jupyter-kernel-latency.md). Without
 * this the user's first cell pays it, even when the session has been idle for minutes. Then, once the session is
 * ready, the path is walked a few hundred times more, so that C1 (the kernel's only compiler) has compiled it before
 * the user's first cells instead of during them: a fresh kernel's first ~50 cells paid 2–3× per hop, interpreted.
 * {@link KernelMain} runs this on a thread of its own; a failure here is harmless and only logged.
 */
final class ColdPath {

    private static final System.Logger LOG = System.getLogger("sparkgate.kernel");

    /**
     * Walks after the session is ready: C1 compiles a method after ~200 calls, and each walk calls the per-cell
     * methods once or a few times. They cost ~0.3 ms each once the first has loaded everything (measured).
     */
    static final int WARM_WALKS = 300;

    private ColdPath() {
    }

    /**
     * Walks the path once now (loading and initializing what a cell needs, while the session boots), then
     * {@link #WARM_WALKS} times once {@code sessionReady} completes: after the driver's start rather than competing
     * with it for the CPU. A session that fails to start gets no more walks.
     */
    static void warm(WireCodec codec, Kind kind, CompletableFuture<Void> sessionReady) {
        if (!walk(codec, kind)) {
            return;
        }
        try {
            sessionReady.join();
        } catch (CompletionException | CancellationException notReady) {
            return;
        }
        for (int i = 0; i < WARM_WALKS && walk(codec, kind); i++) {
            // each walk is the work
        }
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
