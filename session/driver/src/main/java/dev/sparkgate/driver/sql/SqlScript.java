package dev.sparkgate.driver.sql;

import java.util.ArrayList;
import java.util.List;

/** Splits a SQL cell into statements at {@code ;}, except inside quotes, identifiers and comments. */
final class SqlScript {

    private SqlScript() {
    }

    static List<String> split(String cell) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == '\\' && quote != '`' && i + 1 < cell.length()) {
                    current.append(cell.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '-' && i + 1 < cell.length() && cell.charAt(i + 1) == '-') {
                int end = cell.indexOf('\n', i);
                i = end < 0 ? cell.length() : end - 1;
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
                current.append(c);
            } else if (c == ';') {
                add(statements, current);
            } else {
                current.append(c);
            }
        }
        add(statements, current);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().trim();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }
}
