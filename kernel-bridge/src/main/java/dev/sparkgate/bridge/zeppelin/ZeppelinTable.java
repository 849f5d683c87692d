package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.SqlTable;
import org.apache.zeppelin.tabledata.TableDataUtils;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A SQL result as the text of Zeppelin's {@code %table}: the column names, then one line per row, cells separated by
 * tabs. A cell's own tabs and line breaks become spaces, as in Zeppelin's own interpreters; nested values are shown
 * as JSON.
 */
final class ZeppelinTable {

    private ZeppelinTable() {
    }

    static String of(SqlTable table) {
        StringBuilder text = new StringBuilder();
        text.append(table.columns().stream().map(column -> cell(column.name())).collect(Collectors.joining("\t")))
                .append('\n');
        for (List<Object> row : table.rows()) {
            text.append(row.stream().map(ZeppelinTable::cell).collect(Collectors.joining("\t"))).append('\n');
        }
        return text.toString();
    }

    private static String cell(Object value) {
        return TableDataUtils.normalizeColumn(value instanceof Map<?, ?> || value instanceof List<?>
                ? Json.write(value) : value);
    }
}
