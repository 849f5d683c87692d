package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterAnswer.Completeness;
import dev.sparkgate.protocol.InterpreterAnswer.Completions;
import dev.sparkgate.protocol.InterpreterAnswer.Inspection;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Jupyter kernel's behaviour over a Sparkgate session, whatever carries its messages: requests come in through
 * {@link #handle}, replies go back to whoever asked, and everything a cell shows is published on iopub.
 *
 * <p>As in ipykernel, shell requests are served one at a time, in order, each between an iopub {@code busy} and
 * {@code idle}; control requests (interrupt, shutdown) have their own thread, so they get through while a cell runs.
 * An execute waits for its statement's {@code finished} event, so every output is published before its
 * {@code execute_reply}. A cell that fails with {@code stop_on_error} aborts the cells queued behind it.
 */
public final class Kernel implements AutoCloseable {

    /** What the transport does when a client asks the kernel to shut down (after the reply went out). */
    public interface ShutdownHandler {
        void shutdown(boolean restart);
    }

    /** A kernel waits this long for a starting session before telling the user it is waiting. */
    private static final long QUIET_WAIT_MILLIS = 800;

    private final KernelSpec spec;
    private final KernelSession session;
    private final Consumer<JupyterMessage> iopub;
    private final ShutdownHandler shutdownHandler;
    private final String username;
    private final KernelHistory history = new KernelHistory();
    private final AtomicInteger executionCount = new AtomicInteger();
    private final AtomicInteger shellRequestsInFlight = new AtomicInteger();
    private final ExecutorService shell;
    private final ExecutorService control;
    private volatile String messagingSession = UUID.randomUUID().toString();
    private volatile IopubMapper mapper;
    private volatile RunningCell running;
    /** Cells queued before this moment are aborted, not run: the moment a cell failed with stop_on_error. */
    private volatile long abortQueuedBefore = Long.MIN_VALUE;

    /**
     * @param iopub    publishes to every client of the kernel; called from several threads, in the order messages
     *                 must go out, so it must keep that order and not block
     * @param username the kernel's user in message headers
     */
    public Kernel(KernelSpec spec, KernelSession session, Consumer<JupyterMessage> iopub,
                  ShutdownHandler shutdownHandler, String username) {
        this.spec = spec;
        this.session = session;
        this.mapper = new IopubMapper(messagingSession, session::sparkUiUrl);
        this.iopub = iopub;
        this.shutdownHandler = shutdownHandler;
        this.username = username;
        this.shell = singleThread("jupyter-shell-" + spec.name());
        this.control = singleThread("jupyter-control-" + spec.name());
    }

    public KernelSpec spec() {
        return spec;
    }

    /** Serves one request from a client; {@code reply} sends answers back to that client on the request's channel. */
    public void handle(JupyterMessage request, Consumer<JupyterMessage> reply) {
        String channel = request.channel() == null ? JupyterMessage.SHELL : request.channel();
        switch (channel) {
            case JupyterMessage.CONTROL -> control.execute(() -> serve(request, reply, System.nanoTime()));
            case JupyterMessage.SHELL -> {
                long arrived = System.nanoTime();
                shellRequestsInFlight.incrementAndGet();
                shell.execute(() -> {
                    try {
                        serve(request, reply, arrived);
                    } finally {
                        shellRequestsInFlight.decrementAndGet();
                    }
                });
            }
            default -> {
                // stdin carries input_reply, and this kernel never asks for input
            }
        }
    }

    /** Interrupts the cell running now (a control message, a signal, or the REST API): its statement is cancelled. */
    public void interrupt() {
        RunningCell cell = running;
        if (cell != null) {
            cell.interrupt();
        }
    }

    /** {@code busy} while the kernel serves a shell request, {@code idle} otherwise. */
    public String executionState() {
        return shellRequestsInFlight.get() > 0 ? "busy" : "idle";
    }

    /**
     * Starts over as a new kernel would after a restart: execution count, history and display ids are fresh, and
     * clients see a new messaging session announce itself with {@code starting}.
     */
    public void reset() {
        executionCount.set(0);
        history.clear();
        messagingSession = UUID.randomUUID().toString();
        mapper = new IopubMapper(messagingSession, session::sparkUiUrl);
        announceStart();
    }

    /** Publishes {@code status: starting}, as a kernel does when it comes up. */
    public void announceStart() {
        publish("status", Map.of("execution_state", "starting"), null);
    }

    // ---- requests ------------------------------------------------------------------------------------------

    /** {@code arrived}: when the request came, to know whether an earlier cell's error aborts it. */
    private void serve(JupyterMessage request, Consumer<JupyterMessage> reply, long arrived) {
        String type = request.msgType();
        publish("status", Map.of("execution_state", "busy"), request);
        boolean shuttingDown = false;
        boolean restart = false;
        try {
            switch (type) {
                case "kernel_info_request" -> reply(reply, request, "kernel_info_reply", kernelInfo());
                case "execute_request" -> {
                    if (arrived < abortQueuedBefore) {
                        reply(reply, request, "execute_reply", Map.of("status", "aborted"));
                    } else {
                        execute(request, reply);
                    }
                }
                case "complete_request" -> reply(reply, request, "complete_reply", complete(request));
                case "is_complete_request" -> reply(reply, request, "is_complete_reply", isComplete(request));
                case "inspect_request" -> reply(reply, request, "inspect_reply", inspect(request));
                case "history_request" -> reply(reply, request, "history_reply",
                        Map.of("status", "ok", "history", history.answer(request)));
                case "comm_info_request" -> reply(reply, request, "comm_info_reply",
                        Map.of("status", "ok", "comms", Map.of()));
                case "comm_open" -> // no comm targets here: say so, as ipykernel does for unknown targets
                        publish("comm_close", Map.of("comm_id", request.text("comm_id", ""), "data", Map.of()), request);
                case "interrupt_request" -> {
                    interrupt();
                    reply(reply, request, "interrupt_reply", Map.of("status", "ok"));
                }
                case "shutdown_request" -> {
                    restart = request.flag("restart", false);
                    Map<String, Object> content = Map.of("status", "ok", "restart", restart);
                    reply(reply, request, "shutdown_reply", content);
                    publish("shutdown_reply", content, request);
                    shuttingDown = true;
                }
                default -> {
                    // comm_msg, comm_close and request types this kernel does not know: nothing to answer
                }
            }
        } catch (RuntimeException e) {
            if (type.endsWith("_request")) {
                Map<String, Object> error = new LinkedHashMap<>(IopubMapper.errorContent(
                        new ErrorInfo(e.getClass().getSimpleName(), String.valueOf(e.getMessage()), List.of())));
                error.put("status", "error");
                reply(reply, request, type.replace("_request", "_reply"), error);
            }
        } finally {
            publish("status", Map.of("execution_state", "idle"), request);
        }
        if (shuttingDown) {
            interrupt();
            shutdownHandler.shutdown(restart);
        }
    }

    private Map<String, Object> kernelInfo() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("status", "ok");
        info.put("protocol_version", JupyterMessage.PROTOCOL_VERSION);
        info.put("implementation", "sparkgate");
        info.put("implementation_version", implementationVersion());
        info.put("language_info", spec.languageInfo());
        info.put("banner", spec.displayName() + ": " + session.describe());
        info.put("help_links", List.of());
        info.put("debugger", false);
        return info;
    }

    private void execute(JupyterMessage request, Consumer<JupyterMessage> reply) {
        String code = request.text("code", "");
        boolean silent = request.flag("silent", false);
        boolean storeHistory = !silent && request.flag("store_history", true);
        int count = storeHistory ? executionCount.incrementAndGet() : executionCount.get();
        if (!silent) {
            publish("execute_input", Map.of("code", code, "execution_count", count), request);
        }
        Map<String, Object> content = new LinkedHashMap<>();
        ErrorInfo error = code.isBlank() ? null : run(request, code, count, silent);
        if (error == null) {
            content.put("status", "ok");
            content.put("execution_count", count);
            content.put("payload", List.of());
            content.put("user_expressions", Map.of());
        } else {
            content.put("status", "error");
            content.put("execution_count", count);
            content.putAll(IopubMapper.errorContent(error));
            if (request.flag("stop_on_error", true)) {
                // "Run all" queues every cell at once: those queued behind a failed cell must not run
                abortQueuedBefore = System.nanoTime();
            }
        }
        reply(reply, request, "execute_reply", content);
    }

    /** Runs one cell; returns what went wrong, or null when it went well. */
    private ErrorInfo run(JupyterMessage request, String code, int count, boolean silent) {
        RunningCell cell = new RunningCell(session::cancel);
        running = cell;
        try {
            awaitSession(cell, request);
            IopubMapper cellMapper = mapper;
            String[] resultText = new String[1];
            int statementId = session.submit(code, event -> {
                for (IopubMapper.Output output : cellMapper.map(event, count, silent)) {
                    publish(output.msgType(), output.content(), request);
                }
                if (event instanceof StatementEvent.Finished finished) {
                    Object text = finished.result() == null ? null : finished.result().get(Mime.TEXT);
                    resultText[0] = text instanceof String s ? s : null;
                    cell.finished.complete(finished);
                }
            });
            cell.submitted(statementId);
            StatementEvent.Finished finished = await(cell.finished);
            if (!silent && request.flag("store_history", true)) {
                history.add(count, code, resultText[0]);
            }
            return finished.outcome() == StatementEvent.Outcome.ok ? null : IopubMapper.errorOf(finished);
        } catch (KernelUnavailableException e) {
            return published(request, new ErrorInfo("SparkgateUnavailable", e.getMessage(), List.of(e.getMessage())));
        } catch (InterruptedWhileWaiting interrupted) {
            return published(request, new ErrorInfo("KeyboardInterrupt",
                    "Interrupted while waiting for the Sparkgate session to start; the cell did not run.", List.of()));
        } finally {
            running = null;
        }
    }

    /** Waits until the session can run statements, saying so when that takes a while; an interrupt stops the wait. */
    private void awaitSession(RunningCell cell, JupyterMessage request) {
        CompletableFuture<Void> ready = session.ready();
        if (!settlesWithin(ready, QUIET_WAIT_MILLIS)) {
            publish("stream", Map.of("name", "stderr", "text",
                    "Waiting for the Sparkgate session to start (" + session.describe() + ")...\n"), request);
        }
        await(CompletableFuture.anyOf(ready, cell.interrupted));
        if (!ready.isDone()) {
            throw new InterruptedWhileWaiting();
        }
        await(ready);
    }

    private static boolean settlesWithin(CompletableFuture<?> future, long millis) {
        try {
            future.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** An interrupt came while the cell still waited for its session. */
    private static final class InterruptedWhileWaiting extends RuntimeException {
    }

    private ErrorInfo published(JupyterMessage request, ErrorInfo error) {
        publish("error", IopubMapper.errorContent(error), request);
        return error;
    }

    private Map<String, Object> complete(JupyterMessage request) {
        String code = request.text("code", "");
        int cursor = Utf16.offset(code, request.integer("cursor_pos", code.codePointCount(0, code.length())));
        Completions completions = ask(new InterpreterQuestion.Complete(code, cursor));
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("status", "ok");
        content.put("matches", completions.candidates());
        content.put("cursor_start", Utf16.codePoints(code, completions.cursorStart()));
        content.put("cursor_end", Utf16.codePoints(code, completions.cursorEnd()));
        content.put("metadata", Map.of());
        return content;
    }

    private Map<String, Object> inspect(JupyterMessage request) {
        String code = request.text("code", "");
        int cursor = Utf16.offset(code, request.integer("cursor_pos", code.codePointCount(0, code.length())));
        Inspection inspection = ask(new InterpreterQuestion.Inspect(code, cursor, request.integer("detail_level", 0)));
        Map<String, Object> data = inspection.found() ? Map.of(Mime.TEXT, inspection.text()) : Map.of();
        return Map.of("status", "ok", "found", inspection.found(), "data", data, "metadata", Map.of());
    }

    private Map<String, Object> isComplete(JupyterMessage request) {
        String code = request.text("code", "");
        Completeness answer = ask(new InterpreterQuestion.CheckComplete(code));
        if (answer.status() == Completeness.Status.unknown) {
            answer = CellCompleteness.judge(spec.kind(), code);
        }
        return answer.status() == Completeness.Status.incomplete
                ? Map.of("status", answer.status().name(), "indent", answer.indent())
                : Map.of("status", answer.status().name());
    }

    /**
     * The interpreter's answer, or the question's "nothing" when the session is not usable yet or cannot answer:
     * a completion or inspection that cannot be had is no answer, not an error to show.
     */
    private <A extends InterpreterAnswer> A ask(InterpreterQuestion<A> question) {
        if (usable(session.ready())) {
            try {
                return session.ask(question);
            } catch (KernelUnavailableException noAnswer) {
                // answered below
            }
        }
        return question.noAnswer();
    }

    /** Questions about code (completion, completeness) never wait for a session that is still starting. */
    private static boolean usable(CompletableFuture<Void> ready) {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    private void reply(Consumer<JupyterMessage> reply, JupyterMessage request, String type, Map<String, Object> content) {
        reply.accept(JupyterMessage.create(type, content, request, request.channel(), messagingSession, username));
    }

    private void publish(String type, Map<String, Object> content, JupyterMessage parent) {
        iopub.accept(JupyterMessage.create(type, content, parent, JupyterMessage.IOPUB, messagingSession, username));
    }

    /** The future's value; its failure's cause (a {@link KernelUnavailableException}, say) as thrown. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelUnavailableException("The kernel is shutting down.");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new CompletionException(e.getCause());
        }
    }

    private static ExecutorService singleThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    private static String implementationVersion() {
        String version = Kernel.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public void close() {
        interrupt();
        shell.shutdownNow();
        control.shutdownNow();
    }
}
