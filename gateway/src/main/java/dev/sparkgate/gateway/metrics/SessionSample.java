package dev.sparkgate.gateway.metrics;

import java.util.List;

/**
 * What the sessions gauge needs of one session at scrape time, in bounded values only (never its id or owner).
 *
 * @param state     its Livy state ({@code idle}, {@code busy}, ...)
 * @param kind      {@code spark}, {@code pyspark}, {@code sql} or {@code shared}
 * @param placement where its driver runs ({@code local}, {@code pod})
 * @param runtime   the Spark line its driver runs ({@code 3.5})
 * @param executors the states of its executors ({@code Running}, {@code Pending}, ...)
 */
public record SessionSample(String state, String kind, String placement, String runtime, List<String> executors) {
}
