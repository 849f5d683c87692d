package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.Mime;

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
        if (data.get(Mime.LIVY_TABLE) instanceof Map<?, ?> table && !data.containsKey(Mime.HTML)) {
            bundle.remove(Mime.JSON);
            bundle.put(Mime.HTML, html(table, truncated(data.get(Mime.JSON))));
        }
        return bundle;
    }

    private static boolean truncated(Object json) {
        return json instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("truncated"));
    }

    private static String html(Map<?, ?> table, boolean truncated) {
        StringBuilder html = new StringBuilder("<table class=\"sparkgate-table\"><thead><tr>");
        List<?> headers = table.get("headers") instanceof List<?> list ? list : List.of();
        for (Object header : headers) {
            Object name = header instanceof Map<?, ?> h ? h.get("name") : header;
            html.append("<th>").append(Html.escape(String.valueOf(name))).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        List<?> rows = table.get("data") instanceof List<?> list ? list : List.of();
        for (Object row : rows) {
            html.append("<tr>");
            for (Object cell : row instanceof List<?> cells ? cells : List.of(row)) {
                html.append("<td>").append(Html.escape(cell == null ? "NULL" : String.valueOf(cell))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        if (truncated) {
            html.append("<p>only showing the first ").append(rows.size()).append(" rows</p>");
        }
        return html.toString();
    }
}
