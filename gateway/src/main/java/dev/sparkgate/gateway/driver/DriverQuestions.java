package dev.sparkgate.gateway.driver;

import dev.sparkgate.gateway.errors.DriverGone;
import dev.sparkgate.gateway.errors.NoAnswer;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverMessage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The questions asked of one driver (completion, completeness, inspection) and not answered yet, by request id.
 * An answer completes its question's future; a question unanswered within the timeout fails with {@link NoAnswer};
 * when the driver goes, every open question fails with {@link DriverGone}. Safe from any thread, so that answers
 * complete their futures outside the session's lock.
 */
public final class DriverQuestions {

    private final Duration timeout;
    private final AtomicInteger nextRequestId = new AtomicInteger();
    private final Map<Integer, CompletableFuture<DriverMessage.Answer>> open = new ConcurrentHashMap<>();

    public DriverQuestions(Duration timeout) {
        this.timeout = timeout;
    }

    /** Sends the question {@code question} builds for a fresh request id; the future completes with its answer. */
    public CompletableFuture<DriverMessage.Answer> ask(IntFunction<DriverCommand> question, Consumer<DriverCommand> send) {
        int requestId = nextRequestId.getAndIncrement();
        CompletableFuture<DriverMessage.Answer> answer = new CompletableFuture<>();
        open.put(requestId, answer);
        answer.whenComplete((reply, failure) -> open.remove(requestId, answer));
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> answer.completeExceptionally(new NoAnswer(timeout)));
        send.accept(question.apply(requestId));
        return answer;
    }

    /** Completes the question {@code answer} replies to; false when none waits for it (it timed out, say). */
    public boolean answer(DriverMessage.Answer answer) {
        CompletableFuture<DriverMessage.Answer> question = open.get(answer.requestId());
        return question != null && question.complete(answer);
    }

    /** The driver is gone: no open question will be answered. */
    public void driverGone() {
        List.copyOf(open.values()).forEach(question -> question.completeExceptionally(new DriverGone()));
    }

    /** How many questions wait for an answer. */
    public int open() {
        return open.size();
    }
}
