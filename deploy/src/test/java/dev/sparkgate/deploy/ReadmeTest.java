package dev.sparkgate.deploy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What the root README tells a newcomer to type stays true to the build. */
class ReadmeTest {

    @Test
    void everyPipInstallOfPySparkNamesTheBundledSpark() {
        // given the Spark the root pom bundles and the README's pip commands
        String bundled = Repository.pomProperty("spark.version");
        Matcher pins = Pattern.compile("pyspark==([0-9][^\\s`)]*)").matcher(Repository.read("README.md"));
        List<String> named = new ArrayList<>();
        while (pins.find()) {
            named.add(pins.group(1));
        }

        // then there is one, and every one installs the bundled Spark's PySpark (the refusal message derives the same)
        assertThat(named).as("pyspark==... in README.md").isNotEmpty().allMatch(bundled::equals);
    }
}
