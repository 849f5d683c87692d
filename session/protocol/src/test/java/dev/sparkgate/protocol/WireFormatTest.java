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

        String json = Json.write(new DriverMessage.Event(progress));

        assertThat(json).contains("\"type\":\"event\"", "\"type\":\"progress\"");
        assertThat(Json.read(json, DriverMessage.class)).isEqualTo(new DriverMessage.Event(progress));
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
