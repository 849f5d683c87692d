package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.StatementEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel's behaviour against a scripted session: what Jupyter sees, in which order. */
class KernelTest {

    private final ScriptedSession session = new ScriptedSession();
    private final List<JupyterMessage> sent = new CopyOnWriteArrayList<>();
    private final Kernel kernel = new Kernel(KernelSpec.SCALA, session, sent::add, restart -> { }, "tester");

    @AfterEach
    void close() {
        kernel.close();
    }

    @Test
    void anExecutePublishesItsOutputsBeforeItsReplyBetweenBusyAndIdle() {
        // given a statement whose events arrive even before its id is returned
        session.script = (id, events) -> {
            events.accept(new StatementEvent.Stream(id, StatementEvent.StreamName.stdout, "hello, world\n"));
            events.accept(StatementEvent.Finished.ok(id, Map.of(Mime.TEXT, "res0: Int = 2")));
        };

        // when a client executes a cell
        JupyterMessage request = request("execute_request", Map.of("code", "println(\"hello, world\"); 1 + 1"));
        kernel.handle(request, sent::add);

        // then Jupyter sees busy, the input, the output, the result, the reply, then idle, all about this request
        awaitIdle(request);
        assertThat(sent).extracting(JupyterMessage::msgType).containsExactly("status", "execute_input", "stream",
                "execute_result", "execute_reply", "status");
        assertThat(sent).allSatisfy(m -> assertThat(m.parentHeader()).isEqualTo(request.header()));
        assertThat(sent.get(0).content()).containsEntry("execution_state", "busy");
        assertThat(sent.get(1).content()).containsEntry("execution_count", 1);
        assertThat(sent.get(4).channel()).isEqualTo("shell");
        assertThat(sent.get(4).content()).containsEntry("status", "ok").containsEntry("execution_count", 1);
    }

    @Test
    void anInterruptCancelsTheRunningStatement() {
        // given a statement that runs until it is cancelled
        session.script = (id, events) -> session.onCancel = () ->
                events.accept(StatementEvent.Finished.cancelled(id));
        JupyterMessage execute = request("execute_request", Map.of("code", "Thread.sleep(60000)"));
        kernel.handle(execute, sent::add);
        await(() -> session.submitted.size() == 1);

        // when the interrupt comes on the control channel
        JupyterMessage interrupt = request("interrupt_request", Map.of()).onChannel("control");
        kernel.handle(interrupt, sent::add);

        // then the statement is cancelled and the cell ends in an error
        awaitIdle(execute);
        assertThat(session.cancelled).containsExactly(0);
        assertThat(reply(execute).content()).containsEntry("status", "error").containsEntry("ename", "Cancelled");
        assertThat(sent).anySatisfy(m -> assertThat(m.msgType()).isEqualTo("interrupt_reply"));
    }

    @Test
    void cellsQueuedBehindAFailedCellAreAbortedNotRun() {
        // given "run all": a first cell still running, a second one queued behind it
        List<Consumer<StatementEvent>> firstCell = new CopyOnWriteArrayList<>();
        session.script = (id, events) -> firstCell.add(events);
        JupyterMessage first = request("execute_request", Map.of("code", "1 / 0", "stop_on_error", true));
        JupyterMessage second = request("execute_request", Map.of("code", "println(2)"));
        kernel.handle(first, sent::add);
        await(() -> firstCell.size() == 1);
        kernel.handle(second, sent::add);

        // when the first cell fails
        firstCell.get(0).accept(StatementEvent.Finished.failed(0,
                new StatementEvent.ErrorInfo("java.lang.ArithmeticException", "/ by zero", List.of())));

        // then the second is answered "aborted" without running, and later cells run again
        awaitIdle(second);
        assertThat(reply(first).content()).containsEntry("status", "error");
        assertThat(reply(second).content()).containsEntry("status", "aborted");
        assertThat(session.submitted).containsExactly("1 / 0");
        session.script = (id, events) -> events.accept(StatementEvent.Finished.ok(id, Map.of()));
        JupyterMessage third = request("execute_request", Map.of("code", "println(3)"));
        kernel.handle(third, sent::add);
        awaitIdle(third);
        assertThat(reply(third).content()).containsEntry("status", "ok");
    }

    @Test
    void aSessionThatCannotBeReachedIsOneClearErrorNotAHang() {
        session.ready = CompletableFuture.failedFuture(new KernelUnavailableException(
                "Cannot reach the Sparkgate gateway at http://gw:8998: is it running?"));

        JupyterMessage request = request("execute_request", Map.of("code", "1"));
        kernel.handle(request, sent::add);

        awaitIdle(request);
        List<JupyterMessage> errors = sent.stream().filter(m -> m.msgType().equals("error")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).content()).containsEntry("ename", "SparkgateUnavailable")
                .containsEntry("traceback", List.of("Cannot reach the Sparkgate gateway at http://gw:8998: is it running?"));
        assertThat(reply(request).content()).containsEntry("status", "error");
    }

    @Test
    void aStartingSessionIsAwaitedAndTheUserIsToldWhy() {
        session.ready = new CompletableFuture<>();
        session.script = (id, events) -> events.accept(StatementEvent.Finished.ok(id, Map.of()));
        JupyterMessage request = request("execute_request", Map.of("code", "val a = 1"));
        kernel.handle(request, sent::add);

        await(() -> sent.stream().anyMatch(m -> m.msgType().equals("stream")));
        session.ready.complete(null);

        awaitIdle(request);
        assertThat(sent.stream().filter(m -> m.msgType().equals("stream")).findFirst().orElseThrow().content())
                .containsEntry("name", "stderr");
        assertThat(reply(request).content()).containsEntry("status", "ok");
    }

    @Test
    void kernelInfoSaysWhichLanguageThisIs() {
        JupyterMessage request = request("kernel_info_request", Map.of());
        kernel.handle(request, sent::add);

        awaitIdle(request);
        assertThat(reply(request).content()).containsEntry("protocol_version", "5.3")
                .containsEntry("language_info", KernelSpec.SCALA.languageInfo());
    }

    @Test
    void completionCursorsAreCodePointsOnTheWire() {
        // given a cell with an emoji (two UTF-16 units, one code point) before the cursor
        String code = "val \uD83D\uDE00 = spark.ra";
        session.completions = new InterpreterAnswer.Completions(List.of("range"), code.length() - 2, code.length());

        JupyterMessage request = request("complete_request", Map.of("code", code, "cursor_pos", code.length() - 1));
        kernel.handle(request, sent::add);

        awaitIdle(request);
        assertThat(session.lastCursor).isEqualTo(code.length());
        assertThat(reply(request).content()).containsEntry("matches", List.of("range"))
                .containsEntry("cursor_start", code.length() - 3).containsEntry("cursor_end", code.length() - 1);
    }

    @Test
    void inspectShowsWhatTheInterpreterKnowsAndSaysNotFoundOtherwise() {
        // given a name the interpreter documents and one it does not
        JupyterMessage known = request("inspect_request", Map.of("code", "zip", "cursor_pos", 3, "detail_level", 0));
        JupyterMessage unknown = request("inspect_request", Map.of("code", "nothing", "cursor_pos", 7));

        // when the front end inspects both
        kernel.handle(known, sent::add);
        kernel.handle(unknown, sent::add);

        // then the first is found, as text/plain, and the second is not, with no data
        awaitIdle(known);
        awaitIdle(unknown);
        assertThat(reply(known).content()).containsEntry("status", "ok").containsEntry("found", true)
                .containsEntry("data", Map.of("text/plain", "zip(*iterables)"));
        assertThat(reply(unknown).content()).containsEntry("status", "ok").containsEntry("found", false)
                .containsEntry("data", Map.of());
    }

    @Test
    void isCompleteFallsBackToTheCodeWhenTheInterpreterDoesNotKnow() {
        JupyterMessage request = request("is_complete_request", Map.of("code", "def f(x: Int) = {"));
        kernel.handle(request, sent::add);

        awaitIdle(request);
        assertThat(reply(request).content()).containsEntry("status", "incomplete").containsKey("indent");
    }

    private JupyterMessage reply(JupyterMessage request) {
        return sent.stream().filter(m -> m.msgType().endsWith("_reply") && !m.channel().equals("iopub")
                && m.parentHeader().equals(request.header())).findFirst().orElseThrow();
    }

    private void awaitIdle(JupyterMessage request) {
        await(() -> sent.stream().anyMatch(m -> m.msgType().equals("status")
                && "idle".equals(m.content().get("execution_state")) && m.parentHeader().equals(request.header())));
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static JupyterMessage request(String type, Map<String, Object> content) {
        Map<String, Object> header = Map.of("msg_id", UUID.randomUUID().toString(), "msg_type", type,
                "username", "u", "session", "client", "date", "", "version", "5.3");
        return new JupyterMessage(header, null, null, content, "shell", null);
    }

    /** A session whose statements do what the test scripts. */
    private static final class ScriptedSession implements KernelSession {
        interface Script {
            void run(int statementId, Consumer<StatementEvent> events);
        }

        volatile CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
        volatile Script script = (id, events) -> { };
        volatile Runnable onCancel = () -> { };
        volatile InterpreterAnswer.Completions completions;
        volatile int lastCursor = -1;
        final List<String> submitted = new CopyOnWriteArrayList<>();
        final List<Integer> cancelled = new ArrayList<>();

        @Override
        public CompletableFuture<Void> ready() {
            return ready;
        }

        @Override
        public int submit(String code, Consumer<StatementEvent> events) {
            int id = submitted.size();
            submitted.add(code);
            script.run(id, events);
            return id;
        }

        @Override
        public synchronized void cancel(int statementId) {
            cancelled.add(statementId);
            onCancel.run();
        }

        @Override
        public <A extends InterpreterAnswer> A ask(InterpreterQuestion<A> question) {
            InterpreterAnswer answer;
            if (question instanceof InterpreterQuestion.Complete complete) {
                lastCursor = complete.cursor();
                answer = completions;
            } else if (question instanceof InterpreterQuestion.Inspect inspect) {
                lastCursor = inspect.cursor();
                answer = new InterpreterAnswer.Inspection(inspect.code().equals("zip"), "zip(*iterables)");
            } else {
                answer = InterpreterAnswer.Completeness.UNKNOWN;
            }
            return question.answerType().cast(answer);
        }

        @Override
        public String describe() {
            return "session 0 (" + Kind.spark + ")";
        }
    }
}
