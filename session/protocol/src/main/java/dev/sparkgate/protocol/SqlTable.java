package dev.sparkgate.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A query's result as every client shows it: its columns, its first rows (plain JSON values: nested rows, arrays and
 * maps are lists and maps), and whether the row cap cut the rest. The driver makes one from a Spark result; in a
 * statement's MIME bundle it travels in the shapes Livy's clients read, written by {@link #toBundle()} and read back
 * by {@link #in(Map)}, the one place either shape is written or parsed:
 * <ul>
 *   <li>{@code text/plain}: a grid like Spark's {@code show()};</li>
 *   <li>{@code application/json}: Livy's SQL output, {@code {schema, data, truncated}}, {@code schema} being Spark's
 *       own schema JSON;</li>
 *   <li>{@code application/vnd.livy.table.v1+json}: Livy's table, {@code {headers:[{name, type}], data}}, what
 *       Zeppelin, the page and Jupyter's HTML render.</li>
 * </ul>
 */
public record SqlTable(List<Column> columns, List<List<Object>> rows, boolean truncated) {

    public SqlTable {
        columns = List.copyOf(columns);
        rows = rows == null ? List.of() : rows;
    }

    /**
     * One column: its name, its type as Spark SQL writes it ({@code bigint}, {@code array<int>}), and Spark's JSON
     * of the field ({@code name, type, nullable, metadata}) for Livy's schema, where the table came from Spark.
     */
    public record Column(String name, String type, Map<String, Object> sparkField) {

        public static Column of(String name, String type) {
            return new Column(name, type, null);
        }
    }

    /**
     * The table in a result bundle, if it has one: from Livy's table, with the cut said by its JSON copy. A bundle
     * that only looks like one (user code can display any MIME bundle) has none.
     */
    public static Optional<SqlTable> in(Map<String, Object> bundle) {
        if (bundle == null || !(bundle.get(Mime.LIVY_TABLE) instanceof Map<?, ?> livyTable)) {
            return Optional.empty();
        }
        LivyTable table;
        LivyJson json;
        try {
            table = Json.MAPPER.convertValue(livyTable, LivyTable.class);
            json = bundle.get(Mime.JSON) instanceof Map<?, ?> map
                    ? Json.MAPPER.convertValue(map, LivyJson.class) : null;
        } catch (IllegalArgumentException notATable) {
            return Optional.empty();
        }
        List<Map<String, Object>> sparkFields = json == null || json.schema() == null
                || !(json.schema().get("fields") instanceof List<?> fields) ? List.of() : castFields(fields);
        List<Column> columns = new ArrayList<>();
        List<Header> headers = table.headers() == null ? List.of() : table.headers();
        for (int i = 0; i < headers.size(); i++) {
            columns.add(new Column(headers.get(i).name(), headers.get(i).type(),
                    i < sparkFields.size() ? sparkFields.get(i) : null));
        }
        return Optional.of(new SqlTable(columns, table.data(), json != null && json.truncated()));
    }

    /**
     * The same bundle with its two shapes of a table holding one list of rows. Read from JSON (or made by
     * {@link #toBundle()}, which writes plain JSON values), Livy's JSON and Livy's table each hold a copy of the same
     * rows; for a large result that copy is most of what a gateway or a client keeps of a statement. Rows are never
     * changed once read, so sharing them is safe. A bundle without both shapes, or whose rows differ, comes back as
     * it is.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> sharingRows(Map<String, Object> bundle) {
        if (bundle == null || !(bundle.get(Mime.JSON) instanceof Map<?, ?> json)
                || !(bundle.get(Mime.LIVY_TABLE) instanceof Map<?, ?> table)) {
            return bundle;
        }
        Object rows = json.get("data");
        Object copy = table.get("data");
        if (rows == copy || !(rows instanceof List<?>) || !rows.equals(copy)) {
            return bundle;
        }
        Map<String, Object> sharedTable = new LinkedHashMap<>((Map<String, Object>) table);
        sharedTable.put("data", rows);
        Map<String, Object> shared = new LinkedHashMap<>(bundle);
        shared.put(Mime.LIVY_TABLE, sharedTable);
        return shared;
    }

    /** The bundle of a SQL result: the grid, Livy's JSON (when the columns came from Spark) and Livy's table. */
    public Map<String, Object> toBundle() {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put(Mime.TEXT, text());
        if (columns.stream().allMatch(c -> c.sparkField() != null)) {
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("type", "struct");
            schema.put("fields", columns.stream().map(Column::sparkField).toList());
            bundle.put(Mime.JSON, plain(new LivyJson(schema, rows, truncated)));
        }
        bundle.put(Mime.LIVY_TABLE, plain(new LivyTable(columns.stream()
                .map(c -> new Header(c.name(), c.type())).toList(), rows)));
        return bundle;
    }

    /** A grid like Spark's {@code show(n, false)}, with a note when rows were cut. */
    public String text() {
        int width = columns.size();
        if (width == 0) {
            return "";
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::name).toArray(String[]::new));
        for (List<Object> row : rows) {
            String[] line = new String[width];
            for (int c = 0; c < width; c++) {
                line[c] = display(row.get(c));
            }
            cells.add(line);
        }
        int[] widths = new int[width];
        for (String[] line : cells) {
            for (int c = 0; c < width; c++) {
                widths[c] = Math.max(Math.max(widths[c], 3), line[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        String rule = rule(widths);
        out.append(rule);
        for (int r = 0; r < cells.size(); r++) {
            out.append('|');
            for (int c = 0; c < width; c++) {
                out.append(" ".repeat(widths[c] - cells.get(r)[c].length())).append(cells.get(r)[c]).append('|');
            }
            out.append('\n');
            if (r == 0) {
                out.append(rule);
            }
        }
        out.append(rule);
        if (truncated) {
            out.append("only showing top ").append(rows.size()).append(" rows\n");
        }
        return out.toString();
    }

    /** A cell as the grid shows it: NULL, lists in brackets, maps as {@code k -> v}. */
    public static String display(Object value) {
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

    private static String rule(int[] widths) {
        StringBuilder rule = new StringBuilder("+");
        for (int width : widths) {
            rule.append("-".repeat(width)).append('+');
        }
        return rule.append('\n').toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> castFields(List<?> fields) {
        return fields.stream().map(f -> f instanceof Map<?, ?> m ? (Map<String, Object>) m : null).toList();
    }

    /** Bundles hold plain JSON values (maps and lists), as they read on the other side of every link. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(Object value) {
        return Json.MAPPER.convertValue(value, Map.class);
    }

    /** Livy's table MIME. */
    private record LivyTable(List<Header> headers, List<List<Object>> data) {
    }

    private record Header(String name, String type) {
    }

    /** Livy's SQL output, {@code application/json}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    private record LivyJson(Map<String, Object> schema, List<List<Object>> data, boolean truncated) {
    }
}
