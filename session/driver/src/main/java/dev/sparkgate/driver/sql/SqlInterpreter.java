package dev.sparkgate.driver.sql;

import dev.sparkgate.protocol.InterpreterAnswer.Completions;
import dev.sparkgate.driver.interpreter.ExecutionResult;
import dev.sparkgate.driver.interpreter.Interpreter;
import dev.sparkgate.driver.interpreter.StatementContext;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.parser.ParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * SQL cells: one or more statements separated by {@code ;}, run with {@code spark.sql}; the last one's rows are the
 * result, as a table capped at {@code rowCap} rows.
 */
public final class SqlInterpreter implements Interpreter {

    private static final List<String> KEYWORDS = List.of("SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING",
            "LIMIT", "JOIN", "LEFT JOIN", "INNER JOIN", "ON", "AS", "AND", "OR", "NOT", "IN", "IS NULL", "DISTINCT",
            "UNION", "WITH", "CREATE", "TEMPORARY VIEW", "TABLE", "DROP", "INSERT INTO", "VALUES", "SHOW TABLES",
            "DESCRIBE", "EXPLAIN", "CASE", "WHEN", "THEN", "ELSE", "END", "COUNT", "SUM", "AVG", "MIN", "MAX");

    private final SparkSession spark;
    private final int rowCap;

    public SqlInterpreter(SparkSession spark, int rowCap) {
        this.spark = spark;
        this.rowCap = rowCap;
    }

    /**
     * Runs {@code SELECT 1} once, outside any statement: a JVM's first query loads and JIT-compiles Catalyst, generates
     * code with Janino and runs its first Spark job, seconds of CPU (tens under load) that the first SQL cell would
     * otherwise wait for. Its job is in a group of its own, named as a warm-up in Spark's UI, so no statement's
     * progress counts it.
     */
    public void warmUp() {
        spark.sparkContext().setJobGroup("sparkgate-warm-up", "Sparkgate warm-up: SELECT 1", true);
        try {
            spark.sql("SELECT 1").collectAsList();
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    @Override
    public ExecutionResult execute(String code, StatementContext context) throws Exception {
        List<String> statements = SqlScript.split(code);
        if (statements.isEmpty()) {
            return ExecutionResult.value(java.util.Map.of());
        }
        try {
            Dataset<Row> last = null;
            for (String statement : statements) {
                last = spark.sql(statement);
            }
            return ExecutionResult.value(SparkTable.of(last, rowCap).toBundle());
        } catch (Exception e) {
            // Scala declares no checked exceptions, so javac cannot catch AnalysisException by type here.
            if (e instanceof AnalysisException) {
                // The message names the table, column or syntax at fault; a JVM stack adds nothing for SQL.
                String ename = e instanceof ParseException ? "ParseException" : "AnalysisException";
                return ExecutionResult.failure(new ErrorInfo(ename, e.getMessage(), List.of()));
            }
            throw e;
        }
    }

    @Override
    public Completions complete(String code, int cursor) {
        int start = cursor;
        while (start > 0 && isWordPart(code.charAt(start - 1))) {
            start--;
        }
        String prefix = code.substring(start, cursor).toLowerCase(Locale.ROOT);
        TreeSet<String> candidates = new TreeSet<>();
        for (String keyword : KEYWORDS) {
            if (keyword.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                candidates.add(keyword);
            }
        }
        for (String name : catalogNames()) {
            if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                candidates.add(name);
            }
        }
        return new Completions(new ArrayList<>(candidates), start, cursor);
    }

    private List<String> catalogNames() {
        List<String> names = new ArrayList<>();
        for (Row row : spark.sql("SHOW TABLES").collectAsList()) {
            names.add(row.getString(1));
        }
        for (Row row : spark.sql("SHOW FUNCTIONS").collectAsList()) {
            names.add(row.getString(0));
        }
        return names;
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    @Override
    public void interrupt() {
        // Nothing runs outside Spark jobs here: cancelling the statement's job group stops it.
    }

    @Override
    public void close() {
    }
}
