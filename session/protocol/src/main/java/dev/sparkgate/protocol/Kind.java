package dev.sparkgate.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kind of a session or a statement, with Livy's names. A {@code shared} session takes any statement kind;
 * a session of any other kind runs statements of that kind.
 */
public enum Kind {
    spark, pyspark, sql, shared;

    /** Parses a kind, accepting the aliases notebooks send ({@code scala}, {@code python}). */
    public static Optional<Kind> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "spark", "scala" -> Optional.of(spark);
            case "pyspark", "python", "python3" -> Optional.of(pyspark);
            case "sql", "sparksql" -> Optional.of(sql);
            case "shared" -> Optional.of(shared);
            default -> Optional.empty();
        };
    }

    /** The kinds a statement may name, for error messages. */
    public static String statementKinds() {
        return Arrays.stream(values()).filter(k -> k != shared).map(Kind::name).collect(Collectors.joining(", "));
    }

    /** Whether a session of this kind runs statements of {@code statementKind}. */
    public boolean runs(Kind statementKind) {
        return this == shared ? statementKind != shared : this == statementKind;
    }
}
