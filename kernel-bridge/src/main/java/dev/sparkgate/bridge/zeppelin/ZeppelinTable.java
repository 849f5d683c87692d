package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.protocol.Json;
import org.apache.zeppelin.tabledata.TableDataUtils;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Livy's table ({@code application/vnd.livy.table.v1+json}: {@code {headers:[{name,type}], data:[[...]]}}) as the text
 * of Zeppelin's {@code %table}: the column names, then one line per row, cells separated by tabs. A cell's own tabs
 * and line breaks become spaces, as in Zeppelin's own interpreters; nested values are shown as JSON.
 */
final class ZeppelinTable {

    private ZeppelinTable() {
    }

    static String of(Object livyTable) {
        Map<?, ?> table = (Map<?, ?>) livyTable;
        StringBuilder text = new StringBuilder();
        text.append(((List<?>) table.get("headers")).stream()
                .map(header -> cell(((Map<?, ?>) header).get("name")))
                .collect(Collectors.joining("\t"))).append('\n');
        Object data = table.get("data");
        for (Object row : data == null ? List.of() : (List<?>) data) {
            text.append(((List<?>) row).stream().map(ZeppelinTable::cell).collect(Collectors.joining("\t")))
                    .append('\n');
        }
        return text.toString();
    }

    /** The number of columns of a Livy table: none for a statement without a result set. */
    static int columns(Object livyTable) {
        Object headers = ((Map<?, ?>) livyTable).get("headers");
        return headers == null ? 0 : ((List<?>) headers).size();
    }

    /** The number of rows of a Livy table. */
    static int rows(Object livyTable) {
        Object data = ((Map<?, ?>) livyTable).get("data");
        return data == null ? 0 : ((List<?>) data).size();
    }

    private static String cell(Object value) {
        return TableDataUtils.normalizeColumn(value instanceof Map<?, ?> || value instanceof List<?>
                ? Json.write(value) : value);
    }
}
