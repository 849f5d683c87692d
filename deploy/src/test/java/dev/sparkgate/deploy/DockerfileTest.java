package dev.sparkgate.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway image's recipe: a pinned Spark base, nothing built inside, non-root, a health check, env defaults. */
class DockerfileTest {

    private static final Pattern BUILD_TOOLS = Pattern.compile(
            "\\b(mvn|mvnw|gradle|gradlew|javac|sbt|ant|make|npm|yarn|go build|cargo|pip wheel)\\b");

    private final Dockerfile dockerfile = Dockerfile.read();
    private final Dockerfile spark41 = Dockerfile.read(Dockerfile.SPARK41);

    @Test
    void theBaseIsTheSparkImageTheExecutorsRun() {
        // given the base image and the executor image the deployment defaults to
        String executorImage = Manifests.render("deploy/kubernetes/base").one(ConfigMap.class, "sparkgate-settings")
                .getData().get("SPARKGATE_EXECUTOR_IMAGE");

        // then they are the same pinned tag, of the Spark and Scala the build uses, on Java 17
        assertThat(dockerfile.from()).isEqualTo(executorImage)
                .startsWith("apache/spark:" + Repository.pomProperty("spark.version") + "-scala"
                        + Repository.pomProperty("scala.binary.version") + "-java17-python3-");
        assertThat(Images.isPinned(dockerfile.from())).isTrue();
    }

    @Test
    void nothingIsBuiltInsideTheImage() {
        // then no RUN compiles or builds, and nothing is fetched: every file comes from COPY of what this module's
        // build lays out from the gateway's distribution artifact
        assertThat(dockerfile.all("RUN")).allSatisfy(run ->
                assertThat(BUILD_TOOLS.matcher(run.arguments()).find()).as(run.arguments()).isFalse());
        for (Dockerfile image : List.of(dockerfile, spark41)) {
            assertThat(image.all("RUN")).allSatisfy(run ->
                    assertThat(BUILD_TOOLS.matcher(run.arguments()).find()).as(run.arguments()).isFalse());
            assertThat(image.all("ADD")).isEmpty();
            assertThat(image.copySources()).isNotEmpty().allSatisfy(source ->
                    assertThat(source).startsWith(ImageFiles.DIRECTORY));
        }
    }

    @Test
    void theSpark41ImageIsTheSameGatewayOnSpark41WithThe41RuntimeInItsDriverHome() {
        // then its base is Spark 4.1.1 on Scala 2.13 and Java 17, pinned; its driver home holds the 4.1 runtime's
        // jars; and its defaults are the 3.5 image's
        assertThat(spark41.from()).startsWith("apache/spark:4.1.1-scala2.13-java17-python3-");
        assertThat(Images.isPinned(spark41.from())).isTrue();
        assertThat(spark41.copySources()).allSatisfy(source -> assertThat(source)
                .matches(ImageFiles.DIRECTORY + "(sparkgate-gateway\\.jar|driver-4\\.1/.*)"));
        assertThat(spark41.env()).isEqualTo(dockerfile.env());
        assertThat(spark41.all("USER")).isEqualTo(dockerfile.all("USER"));
        assertThat(spark41.all("CMD")).isEqualTo(dockerfile.all("CMD"));
    }

    @Test
    void theBuildContextAdmitsExactlyWhatIsCopied() {
        // given .dockerignore, which shapes the context of docker build -f deploy/Dockerfile[.spark41] .
        List<String> rules = Repository.read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

        // then it excludes everything and lets back in only the COPY sources of the two images
        java.util.Set<String> copied = new java.util.LinkedHashSet<>(dockerfile.copySources());
        copied.addAll(spark41.copySources());
        assertThat(rules.get(0)).isEqualTo("*");
        assertThat(rules.subList(1, rules.size())).allSatisfy(rule -> assertThat(rule).startsWith("!"))
                .extracting(rule -> rule.substring(1)).containsExactlyInAnyOrderElementsOf(copied);
    }

    @Test
    void itRunsAsTheSparkUserWithAHealthCheckOnHealthz() {
        // then the user is the apache/spark images' uid 185, by number, and the health check needs no token
        assertThat(dockerfile.all("USER")).last().extracting(Dockerfile.Instruction::arguments).isEqualTo("185");
        assertThat(dockerfile.all("HEALTHCHECK")).singleElement()
                .satisfies(check -> assertThat(check.arguments()).contains("/healthz"));
    }

    @Test
    void theDefaultsRunDriversOnTheImagesSparkAndPython() {
        // then drivers use $SPARK_HOME/jars and the image's Python, and the API listens beyond loopback
        assertThat(dockerfile.env())
                .containsEntry("SPARK_HOME", "/opt/spark")
                .containsEntry("SPARKGATE_SPARK_JARS", "/opt/spark/jars")
                .containsEntry("SPARKGATE_HOST", "0.0.0.0")
                .containsEntry("SPARKGATE_PORT", "8998");
        assertThat(GatewaySources.environmentNames()).containsAll(dockerfile.env().keySet());
    }
}
