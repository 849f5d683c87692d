package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StatementEvent.JobProgress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IopubMapperTest {

    private final IopubMapper mapper = new IopubMapper("k1");

    @Test
    void streamChunksBecomeStreamMessagesAsTheyCome() {
        var outputs = mapper.map(new StatementEvent.Stream(0, StatementEvent.StreamName.stderr, "careful\n"), 1, false);

        assertThat(outputs).containsExactly(new IopubMapper.Output("stream", Map.of("name", "stderr", "text", "careful\n")));
    }

    @Test
    void aSparkJobIsABarDisplayedOnceThenUpdatedInPlaceUntilTheStatementEnds() {
        // given a statement whose job reports progress twice, then finishes
        var half = progress(4, 2, 2);
        var all = progress(4, 4, 0);

        // when each event is mapped
        var first = mapper.map(half, 3, false).get(0);
        var second = mapper.map(all, 3, false).get(0);
        var end = mapper.map(StatementEvent.Finished.ok(5, Map.of(Mime.TEXT, "res0: Long = 4\n")), 3, false);

        // then the bar is displayed, updated with the same display id, updated a last time, then the result follows
        assertThat(first.msgType()).isEqualTo("display_data");
        assertThat(second.msgType()).isEqualTo("update_display_data");
        assertThat(end).extracting(IopubMapper.Output::msgType).containsExactly("update_display_data", "execute_result");
        String displayId = mapper.progressDisplayId(5);
        assertThat(List.of(first, second, end.get(0))).allSatisfy(output ->
                assertThat(output.content().get("transient")).isEqualTo(Map.of("display_id", displayId)));
        assertThat(data(first)).containsKeys(Mime.HTML, Mime.TEXT);
        assertThat((String) data(first).get(Mime.TEXT)).contains(" 50%", "2/4 tasks", "2 running");
        assertThat((String) data(first).get(Mime.HTML)).contains("<progress value=\"50\" max=\"100\">");
        assertThat((String) data(end.get(0)).get(Mime.TEXT)).contains("100%", "4/4 tasks, done");
        assertThat(end.get(1).content()).containsEntry("execution_count", 3)
                .containsEntry("data", Map.of(Mime.TEXT, "res0: Long = 4"));
    }

    @Test
    void aJobWhoseTasksAreNotKnownYetShowsNoBar() {
        var planning = new StatementEvent.Progress(6, 0, List.of(new JobProgress(8, "RUNNING", 0, 0, 0, 0, 1, 0)));

        assertThat(mapper.map(planning, 1, false)).isEmpty();
        assertThat(mapper.map(StatementEvent.Finished.ok(6, Map.of()), 1, false)).isEmpty();
    }

    @Test
    void aDisplayIdShownBeforeIsUpdatedNotShownAgain() {
        var shown = mapper.map(new StatementEvent.Display(1, Map.of(Mime.TEXT, "a"), "d1"), 1, false).get(0);
        var again = mapper.map(new StatementEvent.Display(2, Map.of(Mime.TEXT, "b"), "d1"), 2, false).get(0);
        var plain = mapper.map(new StatementEvent.Display(2, Map.of(Mime.TEXT, "c"), null), 2, false).get(0);

        assertThat(shown.msgType()).isEqualTo("display_data");
        assertThat(again.msgType()).isEqualTo("update_display_data");
        assertThat(plain.msgType()).isEqualTo("display_data");
        assertThat(plain.content().get("transient")).isEqualTo(Map.of());
    }

    @Test
    void aTableResultIsShownAsHtmlAndKeepsItsRowsUnderTheTableMime() {
        Map<String, Object> table = Map.of("headers", List.of(Map.of("name", "a<b", "type", "int")),
                "data", List.of(List.of(1), List.of(2)));
        var result = StatementEvent.Finished.ok(0, Map.of(Mime.TEXT, "grid", Mime.LIVY_TABLE, table,
                Mime.JSON, Map.of("truncated", true)));

        var data = data(mapper.map(result, 1, false).get(0));

        assertThat(data).containsKeys(Mime.TEXT, Mime.HTML, Mime.LIVY_TABLE).doesNotContainKey(Mime.JSON);
        assertThat((String) data.get(Mime.HTML)).contains("<th>a&lt;b</th>", "<td>2</td>", "only showing the first 2 rows");
    }

    @Test
    void anErrorNamesItselfInItsTracebackAndASilentCellHasNoResult() {
        var sqlError = StatementEvent.Finished.failed(0, new StatementEvent.ErrorInfo("AnalysisException",
                "Table or view not found: nope", List.of()));

        var error = mapper.map(sqlError, 1, false);
        var silent = mapper.map(StatementEvent.Finished.ok(1, Map.of(Mime.TEXT, "2")), 1, true);

        assertThat(error).hasSize(1);
        assertThat(error.get(0).msgType()).isEqualTo("error");
        assertThat(error.get(0).content()).containsEntry("ename", "AnalysisException")
                .containsEntry("traceback", List.of("AnalysisException: Table or view not found: nope"));
        assertThat(silent).isEmpty();
    }

    @Test
    void theBarLinksToTheSessionsSparkUiWhereTheKernelKnowsIt() {
        var linked = new IopubMapper("k2", () -> java.util.Optional.of("http://gw:8998/sessions/3/ui/"));

        var bar = linked.map(progress(4, 1, 1), 1, false).get(0);
        var end = linked.map(StatementEvent.Finished.ok(5, Map.of()), 1, false).get(0);

        assertThat((String) data(bar).get(Mime.HTML))
                .contains("<a href=\"http://gw:8998/sessions/3/ui/\" target=\"_blank\">Spark UI</a>");
        assertThat((String) data(end).get(Mime.HTML)).contains("href=\"http://gw:8998/sessions/3/ui/\"");
        assertThat((String) data(mapper.map(progress(4, 1, 1), 1, false).get(0)).get(Mime.HTML))
                .as("a kernel that cannot say where the UI is shows no link").doesNotContain("<a ");
    }

    private static StatementEvent.Progress progress(int tasks, int done, int active) {
        return new StatementEvent.Progress(5, (double) done / tasks,
                List.of(new JobProgress(7, done == tasks ? "SUCCEEDED" : "RUNNING", tasks, done, active, 0, 1, 0)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(IopubMapper.Output output) {
        return (Map<String, Object>) output.content().get("data");
    }
}
