package dev.sparkgate.driver.interpreter;

/** Jupyter's is_complete answer: status {@code complete}, {@code incomplete}, {@code invalid} or {@code unknown}. */
public record Completeness(String status, String indent) {

    public static final Completeness COMPLETE = new Completeness("complete", "");
    public static final Completeness UNKNOWN = new Completeness("unknown", "");

    public static Completeness incomplete(String indent) {
        return new Completeness("incomplete", indent);
    }

    public static final Completeness INVALID = new Completeness("invalid", "");
}
