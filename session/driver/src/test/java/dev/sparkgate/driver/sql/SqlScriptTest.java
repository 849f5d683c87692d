package dev.sparkgate.driver.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlScriptTest {

    @Test
    void aCellSplitsAtSemicolonsOutsideQuotesAndComments() {
        String cell = """
                CREATE TEMPORARY VIEW v AS SELECT 'a;b' AS s;  -- a comment; not a split
                SELECT `odd;name`, "x;y" FROM v;
                """;

        assertThat(SqlScript.split(cell)).containsExactly(
                "CREATE TEMPORARY VIEW v AS SELECT 'a;b' AS s",
                "SELECT `odd;name`, \"x;y\" FROM v");
    }

    @Test
    void escapedQuotesStayInsideTheirString() {
        assertThat(SqlScript.split("SELECT 'it\\'s; fine'; SELECT 2")).containsExactly("SELECT 'it\\'s; fine'", "SELECT 2");
    }

    @Test
    void blankStatementsAreDropped() {
        assertThat(SqlScript.split(" ; ;\n")).isEmpty();
    }
}
