package dev.sparkgate.gateway.zeppelin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How Zeppelin's {@code %livy.sql} reads the text of {@code Dataset.show(n, true)} back into a table, reimplemented
 * minimally: the first line ({@code +---+--+}) fixes every line's length and each column's span, the output is cut
 * into lines of that length, and only lines framed by {@code |} are rows. Spark pads a full-width character
 * (CJK, say) as two columns; Zeppelin marks each with an invisible character so that string positions match.
 * Any other text (Spark's own, or ours) breaks this, which is why a Scala statement's output must be Spark's exactly.
 */
final class ShowGrid {

    private static final String FULL_WIDTH = "([\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19"
            + "\uFE30-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6])";
    private static final String MARK = "\u0001";

    private ShowGrid() {
    }

    /** The header row, then the data rows, each as its trimmed cells. */
    static List<List<String>> parse(String showOutput) {
        String output = showOutput.replaceAll(FULL_WIDTH, "$1" + MARK);
        String border = output.split("\n", 2)[0];
        List<int[]> columns = new ArrayList<>();
        int end = 0;
        for (String dashes : border.split("\\+")) {
            if (dashes.isEmpty()) {
                continue;
            }
            int start = end + 1;
            end = start + dashes.length();
            columns.add(new int[]{start, end});
        }
        List<List<String>> rows = new ArrayList<>();
        for (int lineStart = 0; lineStart + border.length() < output.length(); lineStart += border.length() + 1) {
            String line = output.substring(lineStart, lineStart + border.length());
            if (line.matches("(?s)^\\|.*\\|$")) {
                rows.add(columns.stream()
                        .map(span -> line.substring(span[0], span[1]).replace(MARK, "").trim()).toList());
            }
        }
        return rows;
    }

    static List<String> row(String... cells) {
        return Arrays.asList(cells);
    }
}
