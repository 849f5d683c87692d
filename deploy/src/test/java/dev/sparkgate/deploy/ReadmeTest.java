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
    void everyPipInstallOfPySparkNamesABundledSparkAndTheDefaultIsAmongThem() {
        // given the Sparks of the two driver runtimes and the README's pip commands
        String spark35 = Repository.pomProperty("spark.version");
        String spark41 = Repository.pomProperty("session/driver-spark41/pom.xml", "spark.version");
        Matcher pins = Pattern.compile("pyspark==([0-9][^\\s`)]*)").matcher(Repository.read("README.md"));
        List<String> named = new ArrayList<>();
        while (pins.find()) {
            named.add(pins.group(1));
        }

        // then every one installs a runtime's PySpark (the refusal message derives the same), and the default
        // runtime's, the newest, is the one a newcomer is told to install
        assertThat(named).as("pyspark==... in README.md").isNotEmpty().allMatch(v -> v.equals(spark35) || v.equals(spark41))
                .contains(spark41);
    }
}
