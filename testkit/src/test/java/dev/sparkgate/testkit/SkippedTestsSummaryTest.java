package dev.sparkgate.testkit;

import dev.sparkgate.testkit.SkippedTestsSummary.Skip;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SkippedTestsSummaryTest {

    @Test
    void theSummaryGroupsSkipsByToolFirstThenOtherReasons() {
        // given a class skipped whole for want of a tool, two tests for want of another, and one for its own reason
        var chromium = new Skip.Reason("headless Chromium", "install: apt-get install -y chromium");
        var pyspark = new Skip.Reason("PySpark", "install: export SPARKGATE_TEST_SPARK_HOME=...");
        List<Skip> skips = List.of(
                new Skip("OldPythonTest.refusesPython37()", 1, new Skip.Reason("not run", "no Python 3.7 here")),
                new Skip("BrowserReplTest", 12, chromium),
                new Skip("PySparkTest.count()", 1, pyspark),
                new Skip("PySparkTest.udf()", 1, pyspark));

        // when the module's summary is written
        List<String> lines = SkippedTestsSummary.describe(skips);

        // then each reason is one line, with how many tests, of which classes, and what to install; tools come first
        assertThat(lines).containsExactly(
                "headless Chromium: 12 tests (BrowserReplTest); install: apt-get install -y chromium",
                "PySpark: 2 tests (PySparkTest); install: export SPARKGATE_TEST_SPARK_HOME=...",
                "not run: 1 test (OldPythonTest); no Python 3.7 here");
    }

    @Test
    void aLongListOfClassesIsCut() {
        var reason = new Skip.Reason("kubectl", "install: apt-get install -y kubernetes-client");
        List<Skip> skips = List.of(new Skip("A.a()", 1, reason), new Skip("A.b()", 1, reason),
                new Skip("B.c()", 1, reason), new Skip("C", 3, reason), new Skip("D.e()", 1, reason),
                new Skip("E.f()", 1, reason), new Skip("F.g()", 1, reason));

        assertThat(SkippedTestsSummary.describe(skips)).containsExactly(
                "kubectl: 9 tests (A, B, C, D and 2 more); install: apt-get install -y kubernetes-client");
    }
}
