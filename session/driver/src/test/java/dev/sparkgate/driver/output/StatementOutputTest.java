package dev.sparkgate.driver.output;

import dev.sparkgate.protocol.StatementEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatementOutputTest {

    private final List<StatementEvent> sent = new ArrayList<>();
    private final StatementOutput output = new StatementOutput(7, sent::add);

    @Test
    void aLongPrintLeavesInChunksTheLinkCanCarry() {
        // given a print of three and a half chunks
        String text = "a".repeat(StatementOutput.MAX_CHUNK_CHARS * 3 + StatementOutput.MAX_CHUNK_CHARS / 2);

        // when it is printed and the statement ends
        output.out().print(text);
        output.close();

        // then it arrives whole, in four chunks none larger than the bound
        assertThat(streams()).hasSize(4)
                .allSatisfy(s -> assertThat(s.text().length()).isLessThanOrEqualTo(StatementOutput.MAX_CHUNK_CHARS));
        assertThat(String.join("", streams().stream().map(StatementEvent.Stream::text).toList())).isEqualTo(text);
    }

    @Test
    void outputBeyondTheStatementsBoundIsCutWithANoteThatSaysHowMuchAndWhatToDo() {
        // given a statement that prints 3 MiB more than its bound, on stdout and stderr
        output.out().print("o".repeat(StatementOutput.MAX_OUTPUT_BYTES));
        output.err().print("e".repeat(3 * 1024 * 1024));

        // when it ends
        output.close();

        // then the bound's worth of output is sent, then a note on stderr
        String all = String.join("", streams().stream().map(StatementEvent.Stream::text).toList());
        assertThat(all).startsWith("ooo").doesNotContain("e".repeat(10));
        StatementEvent.Stream note = streams().get(streams().size() - 1);
        assertThat(note.name()).isEqualTo(StatementEvent.StreamName.stderr);
        assertThat(note.text()).contains("output was cut at 8 MiB", (3 * 1024 * 1024) + " more bytes",
                "write large results to a file or table");
    }

    @Test
    void aChunkNeverEndsBetweenTheHalvesOfACharacter() {
        String text = "a".repeat(StatementOutput.MAX_CHUNK_CHARS - 1) + "\uD83D\uDE00" + "b";

        output.out().print(text);
        output.close();

        assertThat(streams().get(0).text()).hasSize(StatementOutput.MAX_CHUNK_CHARS - 1);
        assertThat(String.join("", streams().stream().map(StatementEvent.Stream::text).toList())).isEqualTo(text);
    }

    private List<StatementEvent.Stream> streams() {
        return sent.stream().filter(e -> e instanceof StatementEvent.Stream).map(e -> (StatementEvent.Stream) e).toList();
    }
}
