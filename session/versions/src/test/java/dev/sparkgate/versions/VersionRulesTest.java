package dev.sparkgate.versions;

import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.VersionVerdict.ImageSide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VersionRulesTest {

    private static final PythonCandidate PY311 = new PythonCandidate("/usr/bin/python3", "3.11.2", "3.5.1");
    private static final PythonCandidate PY312 = new PythonCandidate("/opt/py312/bin/python3", "3.12.1", "3.5.1");
    private static final PythonCandidate PY38 = new PythonCandidate("/opt/py38/bin/python3", "3.8.18", "3.5.1");

    private static ImageSide image(String spark, String python) {
        return image(spark, python, "17.0.11");
    }

    private static ImageSide image(String spark, String python, String java) {
        return new ImageSide("apache/spark:" + spark, spark, python, java, "catalog", null);
    }

    @Test
    void aDriverOnTheImageRefusesAJavaOlderThanTheRuntimeNeedsNamingBothSidesAndTheFix() {
        var java11 = VersionRules.judge(Kind.spark, "3.5.6", 17, List.of(), image("3.5.6", "3.11.9", "11.0.22"));
        var java8 = VersionRules.judge(Kind.pyspark, "3.5.6", 17, List.of(PY311), image("3.5.6", "3.11.9", "1.8.0_392"));

        assertThat(java11.verdict().refused()).isTrue();
        assertThat(java11.verdict().summary()).isEqualTo("Image apache/spark:3.5.6 has Java 11.0.22; the driver runs "
                + "the image's Java, and Sparkgate's driver runtime needs Java 17 or later: use an image of Spark 3.5 "
                + "with Java 17 or later (for example apache/spark:3.5.6-scala2.12-java17-python3-ubuntu), or name a "
                + "driver image that has one (SPARKGATE_DRIVER_IMAGE).");
        assertThat(java8.verdict().refused()).as("1.8 is Java 8").isTrue();
    }

    @Test
    void aJavaAtLeastTheRuntimesPassesAndAnImageWithoutJavaIsRefused() {
        assertThat(VersionRules.judge(Kind.spark, "3.5.6", 17, List.of(), image("3.5.6", null, "17.0.11"))
                .verdict().verdict()).isEqualTo("ok");
        assertThat(VersionRules.judge(Kind.spark, "3.5.6", 17, List.of(), image("3.5.6", null, "21"))
                .verdict().verdict()).isEqualTo("ok");
        assertThat(VersionRules.judge(Kind.spark, "3.5.6", 17, List.of(), image("3.5.6", null, "none"))
                .verdict().summary()).startsWith("Image apache/spark:3.5.6 has no Java we could find (none)");
    }

    @Test
    void javaIsComparedOnlyWhereTheDriverRunsTheImagesJavaAndWhereItIsKnown() {
        var beside = VersionRules.judge(Kind.spark, "3.5.6", List.of(), image("3.5.6", null, "11.0.22"));
        var undeclared = VersionRules.judge(Kind.spark, "3.5.6", 17, List.of(), image("3.5.6", null, null));

        assertThat(beside.verdict().verdict()).as("a driver beside the gateway runs the gateway's Java").isEqualTo("ok");
        assertThat(undeclared.verdict().verdict()).isEqualTo("ok");
        assertThat(undeclared.verdict().notes()).anyMatch(n -> n.contains("Java is not declared"));
    }

    @Test
    void javaReleasesAreReadAsJavaPrintsThem() {
        assertThat(VersionRules.javaRelease("17.0.21.1")).isEqualTo(17);
        assertThat(VersionRules.javaRelease("1.8.0_392")).isEqualTo(8);
        assertThat(VersionRules.javaRelease("21")).isEqualTo(21);
        assertThat(VersionRules.javaRelease("none")).isZero();
    }

    @Test
    void matchingSparkAndPythonPass() {
        var judgement = VersionRules.judge(Kind.pyspark, "3.5.6", List.of(PY311), image("3.5.6", "3.11.9"));

        assertThat(judgement.verdict().verdict()).isEqualTo("ok");
        assertThat(judgement.python()).isEqualTo(PY311);
    }

    @Test
    void aSparkMinorMismatchIsRefusedNamingBothSidesAndTheFix() {
        var judgement = VersionRules.judge(Kind.spark, "3.5.6", List.of(PY311), image("3.4.1", "3.11.9"));

        assertThat(judgement.verdict().refused()).isTrue();
        assertThat(judgement.verdict().summary()).contains("Spark 3.4.1", "Spark 3.5.6", "apache/spark:3.5.6");
    }

    @Test
    void aSparkPatchDifferenceIsAWarning() {
        var judgement = VersionRules.judge(Kind.sql, "3.5.6", List.of(), image("3.5.0", null));

        assertThat(judgement.verdict().verdict()).isEqualTo("warning");
        assertThat(judgement.verdict().notes()).anyMatch(n -> n.contains("patch versions differ"));
    }

    @Test
    void aPythonMismatchRefusesPysparkButNotScala() {
        var pyspark = VersionRules.judge(Kind.pyspark, "3.5.6", List.of(PY311, PY312), image("3.5.0", "3.8.10"));
        var scala = VersionRules.judge(Kind.spark, "3.5.6", List.of(PY311, PY312), image("3.5.6", "3.8.10"));

        assertThat(pyspark.verdict().refused()).isTrue();
        assertThat(pyspark.verdict().summary()).isEqualTo("Image apache/spark:3.5.0 has Python 3.8.10, the driver "
                + "Pythons available are 3.11 and 3.12: use an image with Python 3.11 or 3.12, or configure a 3.8 "
                + "driver Python (SPARKGATE_DRIVER_PYTHONS).");
        assertThat(scala.verdict().verdict()).isEqualTo("ok");
        assertThat(scala.verdict().notes()).anyMatch(n -> n.contains("Python versions were not compared"));
    }

    @Test
    void theDriverPythonThatFitsTheImageIsChosen() {
        var judgement = VersionRules.judge(Kind.pyspark, "3.5.6", List.of(PY311, PY38, PY312), image("3.5.6", "3.8.10"));

        assertThat(judgement.python()).isEqualTo(PY38);
        assertThat(judgement.verdict().driver().pythonExecutable()).isEqualTo("/opt/py38/bin/python3");
    }

    @Test
    void aDriverPysparkOfAnotherSparkMinorIsRefused() {
        var old = new PythonCandidate("/usr/bin/python3", "3.11.2", "3.4.1");

        var judgement = VersionRules.judge(Kind.pyspark, "3.5.6", List.of(old), image("3.5.6", "3.11.9"));

        assertThat(judgement.verdict().refused()).isTrue();
        assertThat(judgement.verdict().summary()).contains("PySpark is 3.4.1", "Spark 3.5.6", "SPARK_HOME")
                .containsSubsequence("/usr/bin/python3 -m pip install pyspark==3.5.6", "SPARK_HOME");
    }

    @Test
    void aSharedSessionOnAnImageWithoutPythonRunsWithAWarning() {
        var judgement = VersionRules.judge(Kind.shared, "3.5.6", List.of(PY311), image("3.5.6", "none"));

        assertThat(judgement.verdict().verdict()).isEqualTo("warning");
        assertThat(VersionRules.judge(Kind.pyspark, "3.5.6", List.of(PY311), image("3.5.6", "none"))
                .verdict().refused()).isTrue();
    }

    @Test
    void withARuntimePerLineTheImagesLineChoosesTheDriversSpark() {
        List<String> runtimes = List.of("3.5.6", "4.1.1");

        var on41 = VersionRules.judge(Kind.spark, runtimes, List.of(), image("4.1.1", null));
        var on35 = VersionRules.judge(Kind.spark, runtimes, List.of(), image("3.5.6", null));

        assertThat(on41.verdict().verdict()).isEqualTo("ok");
        assertThat(on41.verdict().driver().sparkVersion()).isEqualTo("4.1.1");
        assertThat(on35.verdict().driver().sparkVersion()).isEqualTo("3.5.6");
    }

    @Test
    void aMinorNoRuntimeServesIsRefusedNamingImageItsSparkAndTheRuntimes() {
        var judgement = VersionRules.judge(Kind.spark, List.of("3.5.6", "4.1.1"), List.of(PY311), image("3.4.1", "3.11.9"));

        assertThat(judgement.verdict().refused()).isTrue();
        assertThat(judgement.verdict().summary()).contains("apache/spark:3.4.1", "Spark 3.4.1",
                "Spark 3.5.6 and 4.1.1", "apache/spark:4.1.1");
    }

    @Test
    void anUnservedMinorNamesTheNearestRuntimeForAnExpertsOverride() {
        List<String> runtimes = List.of("3.5.6", "4.1.1");

        var older = VersionRules.judge(Kind.spark, runtimes, List.of(PY311), image("3.4.1", "3.11.9"));
        var newer = VersionRules.judge(Kind.spark, runtimes, List.of(PY311), image("4.2.0", "3.11.9"));
        var otherMajor = VersionRules.judge(Kind.spark, runtimes, List.of(PY311), image("5.0.0", "3.11.9"));

        assertThat(older.verdict().driver().sparkVersion()).as("3.4 runs nearest on 3.5, not on 4.1").isEqualTo("3.5.6");
        assertThat(newer.verdict().driver().sparkVersion()).isEqualTo("4.1.1");
        assertThat(otherMajor.verdict().driver().sparkVersion()).as("no runtime of its major: the newest").isEqualTo("4.1.1");
    }
}
