package dev.sparkgate.gateway.driver;

import dev.sparkgate.gateway.errors.DriverGone;
import dev.sparkgate.gateway.errors.NoAnswer;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Kind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Questions to a driver and their answers, matched by request id; none waits forever. */
class DriverQuestionsTest {

    private final List<DriverCommand> sent = new ArrayList<>();

    @Test
    void eachAnswerCompletesTheQuestionWithItsRequestId() throws Exception {
        DriverQuestions questions = new DriverQuestions(Duration.ofSeconds(10));
        CompletableFuture<DriverMessage.Answer> first = questions.ask(id -> complete(id, "sc."), sent::add);
        CompletableFuture<DriverMessage.Answer> second = questions.ask(id -> complete(id, "spark."), sent::add);
        int firstId = ((DriverCommand.Ask) sent.get(0)).requestId();
        int secondId = ((DriverCommand.Ask) sent.get(1)).requestId();

        assertThat(questions.answer(completions(secondId, "range", 6))).isTrue();
        assertThat(questions.answer(completions(firstId, "parallelize", 3))).isTrue();

        assertThat(firstId).isNotEqualTo(secondId);
        assertThat(((InterpreterAnswer.Completions) first.get(1, TimeUnit.SECONDS).answer()).candidates()).containsExactly("parallelize");
        assertThat(((InterpreterAnswer.Completions) second.get(1, TimeUnit.SECONDS).answer()).candidates()).containsExactly("range");
        assertThat(questions.open()).isZero();
    }

    @Test
    void anAnswerNobodyWaitsForIsDropped() {
        DriverQuestions questions = new DriverQuestions(Duration.ofSeconds(10));

        assertThat(questions.answer(new DriverMessage.Answer(42, InterpreterAnswer.Completeness.COMPLETE))).isFalse();
    }

    @Test
    void anUnansweredQuestionFailsWithNoAnswerAfterTheTimeoutAndIsForgotten() {
        DriverQuestions questions = new DriverQuestions(Duration.ofMillis(100));

        CompletableFuture<DriverMessage.Answer> answer = questions.ask(id -> complete(id, "sc."), sent::add);

        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NoAnswer.class);
        assertThat(questions.open()).isZero();
        int late = ((DriverCommand.Ask) sent.get(0)).requestId();
        assertThat(questions.answer(new DriverMessage.Answer(late, new InterpreterAnswer.Completions(List.of(), 0, 0)))).isFalse();
    }

    @Test
    void whenTheDriverGoesEveryOpenQuestionFailsAtOnce() {
        DriverQuestions questions = new DriverQuestions(Duration.ofSeconds(10));
        CompletableFuture<DriverMessage.Answer> first = questions.ask(id -> complete(id, "a"), sent::add);
        CompletableFuture<DriverMessage.Answer> second = questions.ask(id -> complete(id, "b"), sent::add);

        questions.driverGone();

        assertThat(List.of(first, second)).allSatisfy(answer -> assertThatThrownBy(() -> answer.get(1, TimeUnit.SECONDS))
                .hasCauseInstanceOf(DriverGone.class).hasMessageContaining("ended before it could answer"));
        assertThat(questions.open()).isZero();
    }

    private static DriverCommand complete(int requestId, String code) {
        return new DriverCommand.Ask(requestId, Kind.spark, new InterpreterQuestion.Complete(code, code.length()));
    }

    private static DriverMessage.Answer completions(int requestId, String candidate, int cursor) {
        return new DriverMessage.Answer(requestId, new InterpreterAnswer.Completions(List.of(candidate), cursor, cursor));
    }
}
