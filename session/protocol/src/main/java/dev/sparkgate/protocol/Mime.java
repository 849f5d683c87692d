package dev.sparkgate.protocol;

/** MIME keys of result and display bundles, as Livy and Jupyter clients expect them. */
public final class Mime {
    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String PNG = "image/png";
    public static final String JSON = "application/json";
    /** Livy's table: {@code {"headers":[{"name","type"}],"data":[[...]]}}, what Zeppelin renders as a table. */
    public static final String LIVY_TABLE = "application/vnd.livy.table.v1+json";

    private Mime() {
    }
}
