package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CellCompletenessTest {

    @Test
    void scalaCellsAreWholeWhenTheirBracketsStringsAndCommentsAre() {
        assertThat(status(Kind.spark, "val x = List(1, 2).map { i => i + 1 }")).isEqualTo("complete");
        assertThat(status(Kind.spark, "println(\"a ( in a string\") // and ( in a comment")).isEqualTo("complete");
        assertThat(status(Kind.spark, "val c = '('")).isEqualTo("complete");
        assertThat(status(Kind.spark, "def f(x: Int) = {")).isEqualTo("incomplete");
        assertThat(status(Kind.spark, "val x =")).isEqualTo("incomplete");
        assertThat(status(Kind.spark, "val s = \"\"\"open")).isEqualTo("incomplete");
        assertThat(status(Kind.spark, "/* not closed")).isEqualTo("incomplete");
        assertThat(status(Kind.spark, "val x = 1)")).isEqualTo("invalid");
        assertThat(status(Kind.spark, "List(1, 2]")).isEqualTo("invalid");
    }

    @Test
    void anIncompleteCellSuggestsAnIndentPerOpenBracket() {
        assertThat(CellCompleteness.judge(Kind.spark, "object A {\n  def f = {").indent()).isEqualTo("    ");
    }

    @Test
    void sqlCellsKnowSqlQuotingAndComments() {
        assertThat(status(Kind.sql, "SELECT 'it''s (' AS a -- (")).isEqualTo("complete");
        assertThat(status(Kind.sql, "SELECT count(*) FROM range(3)")).isEqualTo("complete");
        assertThat(status(Kind.sql, "SELECT (1")).isEqualTo("incomplete");
        assertThat(status(Kind.sql, "SELECT a,")).isEqualTo("incomplete");
        assertThat(status(Kind.sql, "SELECT 'open")).isEqualTo("incomplete");
        assertThat(status(Kind.sql, "SELECT 1)")).isEqualTo("invalid");
    }

    @Test
    void pythonIsLeftToItsOwnInterpreter() {
        assertThat(status(Kind.pyspark, "def f():")).isEqualTo("unknown");
    }

    private static String status(Kind kind, String code) {
        return CellCompleteness.judge(kind, code).status().name();
    }
}
