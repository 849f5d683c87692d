package dev.sparkgate.driver.sql;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Mime;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first rows of a query's result, in the three shapes clients read: Livy's SQL JSON ({@code schema, data}),
 * Livy's table MIME (what Zeppelin renders) and a text grid like Spark's {@code show()}.
 */
public record SqlTable(StructType schema, List<List<Object>> rows, boolean truncated, int rowCap) {

    public static SqlTable of(Dataset<Row> frame, int rowCap) {
        List<Row> taken = frame.takeAsList(rowCap + 1);
        boolean truncated = taken.size() > rowCap;
        List<List<Object>> rows = new ArrayList<>();
        for (Row row : taken.subList(0, Math.min(rowCap, taken.size()))) {
            List<Object> values = new ArrayList<>(row.length());
            for (int i = 0; i < row.length(); i++) {
                values.add(jsonValue(row.get(i)));
            }
            rows.add(values);
        }
        return new SqlTable(frame.schema(), rows, truncated, rowCap);
    }

    public Map<String, Object> toBundle() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema", Json.read(schema.json(), Map.class));
        json.put("data", rows);
        json.put("truncated", truncated);

        List<Map<String, String>> headers = new ArrayList<>();
        for (StructField field : schema.fields()) {
            headers.add(Map.of("name", field.name(), "type", field.dataType().simpleString()));
        }
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("headers", headers);
        table.put("data", rows);

        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put(Mime.TEXT, text());
        bundle.put(Mime.JSON, json);
        bundle.put(Mime.LIVY_TABLE, table);
        return bundle;
    }

    /** A grid like Spark's {@code show(n, false)}, with a note when rows were cut. */
    public String text() {
        int columns = schema.fields().length;
        if (columns == 0) {
            return "";
        }
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[columns];
        for (int c = 0; c < columns; c++) {
            header[c] = schema.fields()[c].name();
        }
        cells.add(header);
        for (List<Object> row : rows) {
            String[] line = new String[columns];
            for (int c = 0; c < columns; c++) {
                line[c] = display(row.get(c));
            }
            cells.add(line);
        }
        int[] widths = new int[columns];
        for (String[] line : cells) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(Math.max(widths[c], 3), line[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        String rule = rule(widths);
        out.append(rule);
        for (int r = 0; r < cells.size(); r++) {
            out.append('|');
            for (int c = 0; c < columns; c++) {
                out.append(" ".repeat(widths[c] - cells.get(r)[c].length())).append(cells.get(r)[c]).append('|');
            }
            out.append('\n');
            if (r == 0) {
                out.append(rule);
            }
        }
        out.append(rule);
        if (truncated) {
            out.append("only showing top ").append(rowCap).append(" rows\n");
        }
        return out.toString();
    }

    private static String rule(int[] widths) {
        StringBuilder rule = new StringBuilder("+");
        for (int width : widths) {
            rule.append("-".repeat(width)).append('+');
        }
        return rule.append('\n').toString();
    }

    private static String display(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(v -> parts.add(display(v)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            List<String> parts = new ArrayList<>();
            map.forEach((k, v) -> parts.add(display(k) + " -> " + display(v)));
            return "{" + String.join(", ", parts) + "}";
        }
        return value.toString();
    }

    /** Spark values as plain JSON values: nested rows, arrays and maps become lists and maps. */
    static Object jsonValue(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Row row) {
            List<Object> values = new ArrayList<>(row.length());
            for (int i = 0; i < row.length(); i++) {
                values.add(jsonValue(row.get(i)));
            }
            return values;
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            List<Object> values = new ArrayList<>();
            JavaConverters.seqAsJavaList(seq).forEach(v -> values.add(jsonValue(v)));
            return values;
        }
        if (value instanceof scala.collection.Map<?, ?> map) {
            Map<String, Object> values = new LinkedHashMap<>();
            JavaConverters.mapAsJavaMap(map).forEach((k, v) -> values.put(String.valueOf(k), jsonValue(v)));
            return values;
        }
        return value.toString();
    }
}
