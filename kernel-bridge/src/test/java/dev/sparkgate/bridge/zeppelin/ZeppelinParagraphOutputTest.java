package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;
import dev.sparkgate.protocol.StatementEvent.StreamName;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.apache.zeppelin.interpreter.InterpreterResult.Code;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How statement events become a paragraph's output, without a gateway. */
class ZeppelinParagraphOutputTest {

    private final RecordedOutput recorded = new RecordedOutput();
    private final ParagraphOutput output = new ParagraphOutput(recorded.out);

    @Test
    void printedTextReachesZeppelinAsItComesEvenWithoutALineBreak() throws IOException {
        output.show(new StatementEvent.Stream(1, StreamName.stdout, "loading"));
        output.show(new StatementEvent.Stream(1, StreamName.stdout, "... done\n"));
        output.show(new StatementEvent.Stream(1, StreamName.stderr, "a warning\n"));

        assertThat(recorded.arrivals()).extracting(RecordedOutput.Arrival::text)
                .containsSubsequence("loading", "... done\n", "a warning\n");
        assertThat(messages()).containsExactly("TEXT:loading... done\na warning\n");
    }

    @Test
    void aSqlResultIsATableAndACutOneSaysSo() throws IOException {
        Map<String, Object> table = Map.of("headers", List.of(Map.of("name", "id", "type", "bigint"),
                Map.of("name", "note", "type", "string")), "data", List.of(List.of(1, "two\nlines"), List.of(2, "x")));

        InterpreterResult result = output.finish(StatementEvent.Finished.ok(1, Map.of(Mime.TEXT, "+--+...",
                Mime.LIVY_TABLE, table, Mime.JSON, Map.of("truncated", true))));

        assertThat(result.code()).isEqualTo(Code.SUCCESS);
        assertThat(messages()).hasSize(2).first().isEqualTo("TABLE:id\tnote\n1\ttwo lines\n2\tx\n");
        assertThat(messages().get(1)).startsWith("HTML:").contains("truncated", "2 rows", "SPARKGATE_SQL_ROW_CAP");
    }

    @Test
    void aStatementWithoutAResultSetShowsNothing() throws IOException {
        output.finish(StatementEvent.Finished.ok(1, Map.of(Mime.LIVY_TABLE, Map.of("headers", List.of(),
                "data", List.of()))));

        assertThat(messages()).isEmpty();
    }

    @Test
    void imagesAndHtmlAreMessagesOfTheirOwnBetweenTheText() throws IOException {
        output.show(new StatementEvent.Stream(1, StreamName.stdout, "before\n"));
        output.show(new StatementEvent.Display(1, Map.of(Mime.PNG, "iVBOR\nw0KGgo=", Mime.TEXT, "<Figure>"), null));
        output.show(new StatementEvent.Display(1, Map.of(Mime.HTML, "<b>%table not a table</b>"), null));
        output.show(new StatementEvent.Stream(1, StreamName.stdout, "after\n"));

        assertThat(messages()).containsExactly("TEXT:before\n", "IMG:iVBORw0KGgo=",
                "HTML:<b>%table not a table</b>", "TEXT:after\n");
    }

    @Test
    void aDisplayShownAgainUnderItsIdReplacesItsMessage() throws IOException {
        output.show(new StatementEvent.Display(1, Map.of(Mime.HTML, "<i>10%</i>"), "bar"));
        output.show(new StatementEvent.Stream(1, StreamName.stdout, "working\n"));
        output.show(new StatementEvent.Display(1, Map.of(Mime.HTML, "<i>100%</i>"), "bar"));

        assertThat(messages()).containsExactly("HTML:<i>100%</i>", "TEXT:working\n");
    }

    @Test
    void aValueWithoutALineBreakEndsWithOne() throws IOException {
        output.finish(StatementEvent.Finished.ok(1, Map.of(Mime.TEXT, "'a value'")));

        assertThat(messages()).containsExactly("TEXT:'a value'\n");
    }

    @Test
    void anErrorIsItsTracebackAndACancelSaysSo() throws IOException {
        InterpreterResult scala = output.finish(StatementEvent.Finished.failed(1, new ErrorInfo(
                "java.lang.IllegalStateException", "no way",
                List.of("java.lang.IllegalStateException: no way", "  at boom(<console>:22)"))));
        InterpreterResult sql = output.finish(StatementEvent.Finished.failed(2, new ErrorInfo(
                "AnalysisException", "[TABLE_OR_VIEW_NOT_FOUND] `nope`", List.of())));
        InterpreterResult cancelled = output.finish(StatementEvent.Finished.cancelled(3));

        assertThat(scala.code()).isEqualTo(Code.ERROR);
        assertThat(scala.message().get(0).getData())
                .isEqualTo("java.lang.IllegalStateException: no way\n  at boom(<console>:22)\n");
        assertThat(sql.message().get(0).getData()).isEqualTo("AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] `nope`\n");
        assertThat(cancelled.code()).isEqualTo(Code.ERROR);
        assertThat(cancelled.message().get(0).getData()).contains("cancelled");
    }

    @Test
    void aCancelledCellKeepsHowTheInterpreterStopped() throws IOException {
        InterpreterResult interrupted = output.finish(StatementEvent.Finished.cancelled(4, new ErrorInfo(
                "KeyboardInterrupt", "", List.of("Traceback (most recent call last):\n",
                "  File \"<cell 4>\", line 1, in <module>\n    while True:\n", "KeyboardInterrupt\n"))));

        assertThat(interrupted.code()).isEqualTo(Code.ERROR);
        assertThat(interrupted.message().get(0).getData()).startsWith("The paragraph was cancelled.\n")
                .contains("File \"<cell 4>\", line 1", "KeyboardInterrupt");
    }

    @Test
    void aNoticeIsZeppelinsWarningWithItsTextEscaped() throws IOException {
        output.notice("Session 3 has ended <dead>");

        assertThat(messages()).singleElement().asString()
                .startsWith("HTML:<div class=\"result-alert alert-warning\"").contains("&lt;dead&gt;");
    }

    private List<String> messages() throws IOException {
        recorded.out.flush();
        return recorded.out.toInterpreterResultMessage().stream()
                .map(message -> message.getType() + ":" + message.getData()).toList();
    }
}
