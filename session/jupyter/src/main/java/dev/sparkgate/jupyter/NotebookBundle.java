package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.SqlTable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A statement's MIME bundle as Jupyter front ends should render it. Text loses the REPL's trailing newline. A table
 * (Livy's table MIME, what SQL results carry) gains an HTML rendering, and its {@code application/json} copy is left
 * out: JupyterLab ranks JSON above HTML and would show a result set as a collapsible JSON tree. The rows stay in the
 * bundle under the table MIME.
 */
public final class NotebookBundle {

    private NotebookBundle() {
    }

    public static Map<String, Object> of(Map<String, Object> data) {
        Map<String, Object> bundle = new LinkedHashMap<>(data);
        // Front ends show text in a <pre>, where the REPL's closing newline is one blank line too many.
        if (bundle.get(Mime.TEXT) instanceof String text) {
            bundle.put(Mime.TEXT, text.stripTrailing());
        }
        if (!data.containsKey(Mime.HTML)) {
            SqlTable.in(data).ifPresent(table -> {
                bundle.remove(Mime.JSON);
                bundle.put(Mime.HTML, html(table));
            });
        }
        return bundle;
    }

    private static String html(SqlTable table) {
        StringBuilder html = new StringBuilder("<table class=\"sparkgate-table\"><thead><tr>");
        for (SqlTable.Column column : table.columns()) {
            html.append("<th>").append(Html.escape(String.valueOf(column.name()))).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (List<Object> row : table.rows()) {
            html.append("<tr>");
            for (Object cell : row) {
                html.append("<td>").append(Html.escape(cell == null ? "NULL" : String.valueOf(cell))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        if (table.truncated()) {
            html.append("<p>only showing the first ").append(table.rows().size()).append(" rows</p>");
        }
        return html.toString();
    }
}
