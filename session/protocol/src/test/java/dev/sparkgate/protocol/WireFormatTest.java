package dev.sparkgate.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WireFormatTest {

    @Test
    void statementEventsRoundTripWithTheirTypeName() {
        StatementEvent progress = new StatementEvent.Progress(3, 0.5,
                List.of(new StatementEvent.JobProgress(7, "RUNNING", 4, 2, 2, 0, 1, 0)));

        String json = Json.write(new DriverMessage.Event(12, progress));

        assertThat(json).contains("\"type\":\"event\"", "\"seq\":12", "\"type\":\"progress\"");
        assertThat(Json.read(json, DriverMessage.class)).isEqualTo(new DriverMessage.Event(12, progress));
    }

    @Test
    void aResumeNamesTheLastEventTheGatewayHas() {
        String json = Json.write(new DriverCommand.Resume(41));

        assertThat(json).isEqualTo("{\"type\":\"resume\",\"since\":41}");
        assertThat(Json.read(json, DriverCommand.class)).isEqualTo(new DriverCommand.Resume(41));
    }

    @Test
    void aFinishedErrorCarriesNameValueAndTraceback() {
        var finished = StatementEvent.Finished.failed(1,
                new StatementEvent.ErrorInfo("java.lang.ArithmeticException", "/ by zero", List.of("at line 1")));

        var read = (StatementEvent.Finished) Json.read(Json.write(finished), StatementEvent.class);

        assertThat(read.outcome()).isEqualTo(StatementEvent.Outcome.error);
        assertThat(read.error().evalue()).isEqualTo("/ by zero");
        assertThat(read.result()).isEmpty();
    }

    @Test
    void streamRequestsParseFromWhatABrowserSends() {
        var request = Json.read("{\"type\":\"execute\",\"requestId\":4,\"code\":\"1+1\"}", StreamRequest.class);

        assertThat(request).isEqualTo(new StreamRequest.Execute(4, "1+1", null));
    }

    @Test
    void aQuestionOnTheStreamIsTheQuestionsFieldsBesideTheRequestIdAsThePageSendsIt() {
        String fromThePage = "{\"type\":\"complete\",\"code\":\"spark.ra\",\"cursor\":8,\"kind\":\"spark\","
                + "\"requestId\":3}";

        StreamRequest request = Json.read(fromThePage, StreamRequest.class);

        var complete = new StreamRequest.Ask(3, new InterpreterQuestion.Complete("spark.ra", 8), "spark");
        assertThat(request).isEqualTo(complete);
        assertThat(Json.write(complete))
                .isEqualTo("{\"type\":\"complete\",\"requestId\":3,\"code\":\"spark.ra\",\"cursor\":8,\"kind\":\"spark\"}");
        var inspect = new StreamRequest.Ask(5, new InterpreterQuestion.Inspect("zip(a, ", 7, 1), null);
        assertThat(Json.read(Json.write(inspect), StreamRequest.class)).isEqualTo(inspect);
        assertThat(Json.read("{\"type\":\"check_complete\",\"requestId\":4,\"code\":\"def f():\"}",
                StreamRequest.class))
                .isEqualTo(new StreamRequest.Ask(4, new InterpreterQuestion.CheckComplete("def f():"), null));
    }

    @Test
    void anAnswerOnTheStreamIsTheAnswersFieldsBesideTheRequestIdAsThePageReadsIt() {
        var completions = new StreamUpdate.Answer(3,
                new InterpreterAnswer.Completions(java.util.List.of("range"), 6, 8));
        var completeness = new StreamUpdate.Answer(4, InterpreterAnswer.Completeness.incomplete("    "));
        var inspection = new StreamUpdate.Answer(5, InterpreterAnswer.Inspection.of("Signature: zip(...)"));

        assertThat(Json.write(completions)).isEqualTo(
                "{\"type\":\"completions\",\"requestId\":3,\"candidates\":[\"range\"],\"cursorStart\":6,\"cursorEnd\":8}");
        assertThat(Json.write(completeness)).isEqualTo(
                "{\"type\":\"completeness\",\"requestId\":4,\"status\":\"incomplete\",\"indent\":\"    \"}");
        assertThat(Json.write(inspection)).isEqualTo(
                "{\"type\":\"inspection\",\"requestId\":5,\"found\":true,\"text\":\"Signature: zip(...)\"}");
        for (StreamUpdate answer : List.of(completions, completeness, inspection)) {
            assertThat(Json.read(Json.write(answer), StreamUpdate.class)).isEqualTo(answer);
        }
        assertThat(Json.read("{\"type\":\"submitted\",\"requestId\":1,\"statementId\":2}", StreamUpdate.class))
                .isEqualTo(new StreamUpdate.Submitted(1, 2));
    }

    @Test
    void theDriverLinkCarriesTheSameQuestionsAndAnswers() {
        DriverCommand ask = new DriverCommand.Ask(7, Kind.pyspark, new InterpreterQuestion.Inspect("len", 3, 0));
        DriverMessage answer = new DriverMessage.Answer(7, InterpreterAnswer.Completeness.UNKNOWN);

        assertThat(Json.read(Json.write(ask), DriverCommand.class)).isEqualTo(ask);
        assertThat(Json.read(Json.write(answer), DriverMessage.class)).isEqualTo(answer);
    }

    @Test
    void aQuestionKeepsItsCursorInsideItsCodeAndSaysWhatNoAnswerIs() {
        assertThat(new InterpreterQuestion.Complete("abc", 9).cursor()).isEqualTo(3);
        assertThat(new InterpreterQuestion.Inspect(null, -2, 0)).isEqualTo(new InterpreterQuestion.Inspect("", 0, 0));
        assertThat(new InterpreterQuestion.Complete("ab", 2).noAnswer())
                .isEqualTo(InterpreterAnswer.Completions.none(2));
        assertThat(new InterpreterQuestion.CheckComplete("x").noAnswer())
                .isEqualTo(InterpreterAnswer.Completeness.UNKNOWN);
    }

    @Test
    void kindsAcceptNotebookAliasesAndSharedRunsEveryStatementKind() {
        assertThat(Kind.parse("Scala")).contains(Kind.spark);
        assertThat(Kind.parse("python")).contains(Kind.pyspark);
        assertThat(Kind.parse("sparkr")).isEmpty();
        assertThat(Kind.shared.runs(Kind.sql)).isTrue();
        assertThat(Kind.spark.runs(Kind.sql)).isFalse();
    }

    @Test
    void resultBundlesKeepTheirMimeKeys() {
        var finished = StatementEvent.Finished.ok(2, Map.of(Mime.TEXT, "res0: Int = 2"));

        assertThat(Json.write(finished)).contains("\"text/plain\":\"res0: Int = 2\"").doesNotContain("\"error\"");
    }
}
