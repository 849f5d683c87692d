package dev.sparkgate.driver.sql;

import dev.sparkgate.driver.output.BoundedBundle;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.SqlTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import scala.collection.JavaConverters;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The first rows of a Spark result as the protocol's {@link SqlTable}: Spark's values made plain JSON values. */
public final class SparkTable {

    private SparkTable() {
    }

    /**
     * The most a table's rows may take as JSON, whatever the row cap: the result bundle carries the rows three times
     * (grid, Livy's JSON, Livy's table) and must stay under {@link BoundedBundle#MAX_BUNDLE_BYTES}; the gateway keeps
     * it as long as the statement. Rows beyond are cut as the row cap cuts them.
     */
    public static final int MAX_ROWS_BYTES = 4 * 1024 * 1024;

    /**
     * At most {@code rowCap} rows and {@link #MAX_ROWS_BYTES} of them, and whether there were more: one Spark job for
     * {@code rowCap + 1} rows.
     */
    public static SqlTable of(Dataset<Row> frame, int rowCap) {
        List<Row> taken = frame.takeAsList(rowCap + 1);
        boolean truncated = taken.size() > rowCap;
        List<List<Object>> rows = new ArrayList<>();
        long bytes = 0;
        for (Row row : taken.subList(0, Math.min(rowCap, taken.size()))) {
            List<Object> values = new ArrayList<>(row.length());
            for (int i = 0; i < row.length(); i++) {
                values.add(jsonValue(row.get(i)));
            }
            bytes += Json.write(values).length();
            if (bytes > MAX_ROWS_BYTES) {
                truncated = true;
                break;
            }
            rows.add(values);
        }
        return new SqlTable(columns(frame), rows, truncated);
    }

    /** Each field's name, SQL type and Spark's own JSON of it, which Livy's schema carries as it is. */
    @SuppressWarnings("unchecked")
    private static List<SqlTable.Column> columns(Dataset<Row> frame) {
        StructField[] fields = frame.schema().fields();
        List<Object> sparkFields = (List<Object>) Json.read(frame.schema().json(), Map.class).get("fields");
        List<SqlTable.Column> columns = new ArrayList<>(fields.length);
        for (int i = 0; i < fields.length; i++) {
            columns.add(new SqlTable.Column(fields[i].name(), fields[i].dataType().simpleString(),
                    (Map<String, Object>) sparkFields.get(i)));
        }
        return columns;
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
