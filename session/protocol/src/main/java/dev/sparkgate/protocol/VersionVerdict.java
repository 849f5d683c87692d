package dev.sparkgate.protocol;

import java.util.List;

/**
 * Whether a session's driver and its executor image can work together, and the versions that say so.
 *
 * @param verdict {@code ok}, {@code warning} (runs, with notes), {@code refused} (the session is not started),
 *                {@code overridden} (refused, but an expert asked to go on) or {@code not_needed} (no executor image)
 * @param summary one sentence for the user: on a refusal it names both sides and the fix
 * @param notes   everything else worth knowing (a patch difference, why Python was not compared)
 */
public record VersionVerdict(String verdict, String summary, List<String> notes, DriverSide driver, ImageSide image) {

    /** The driver's side: its Spark, and its Python and PySpark where the session uses Python. */
    public record DriverSide(String sparkVersion, String pythonExecutable, String pythonVersion, String pysparkVersion,
                             List<String> pythonsAvailable) {
    }

    /**
     * The image's side, and where we learnt it: {@code catalog} or {@code probe}. {@code javaVersion} is the Java its
     * {@code java -version} prints ({@code 17.0.11}, {@code 1.8.0_392}), {@code none} when it has none, or null when a
     * catalog entry does not say.
     */
    public record ImageSide(String image, String sparkVersion, String pythonVersion, String javaVersion, String source,
                            String digest) {
    }

    public boolean refused() {
        return verdict.equals("refused");
    }
}
