package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageRegistryTest {

  private final Path images = fixtureImages();

  @Test
  void aDeclaredImageCarriesItsVersionsAndItsBinDirectory() {
    // given the fixture image sparkgate-test/spark-py:3.5.6
    ImageRegistry registry = ImageRegistry.declaredIn(images);

    // when it is pulled
    ImageRegistry.Pull pull = registry.pull("sparkgate-test/spark-py:3.5.6");

    // then it is the declared image, with what its image.properties say
    assertThat(pull).isInstanceOf(ImageRegistry.Pull.Pulled.class);
    EmulatedImage image = ((ImageRegistry.Pull.Pulled) pull).image();
    assertThat(image.sparkVersion()).contains("3.5.6");
    assertThat(image.pythonVersion()).contains("3.10.14");
    assertThat(image.bin()).contains(images.resolve("sparkgate-test/spark-py/3.5.6/bin"));
    assertThat(image.environment()).containsEntry("SPARK_VERSION", "3.5.6").containsEntry("PYTHON_VERSION", "3.10.14");
    assertThat(image.javaVersion()).as("not declared: the node's own").isEmpty();
  }

  @Test
  void aDeclaredImageMayCarryAJavaOfItsOwn() {
    ImageRegistry.Pull pull = ImageRegistry.declaredIn(images).pull("sparkgate-test/java11:3.5.6");

    EmulatedImage image = ((ImageRegistry.Pull.Pulled) pull).image();
    assertThat(image.javaVersion()).contains("11.0.22");
    assertThat(image.rootfs()).contains(images.resolve("sparkgate-test/java11/3.5.6/rootfs"));
    assertThat(image.environment()).containsEntry("JAVA_HOME", "/opt/java/openjdk");
  }

  @Test
  void anUndeclaredImageRunsOnTheBuiltInSparkRuntime() {
    // given a lenient registry
    ImageRegistry registry = ImageRegistry.declaredIn(images);

    // when an image it does not know is pulled
    ImageRegistry.Pull pull = registry.pull("apache/spark:whatever");

    // then it is the built-in runtime, which carries the Spark of this classpath
    assertThat(pull).isInstanceOf(ImageRegistry.Pull.Pulled.class);
    EmulatedImage image = ((ImageRegistry.Pull.Pulled) pull).image();
    assertThat(image.directory()).isEmpty();
    assertThat(image.sparkVersion()).contains("3.5.6");
  }

  @Test
  void aStrictRegistryFailsToPullAnUndeclaredImage() {
    ImageRegistry registry = ImageRegistry.declaredIn(images).strict();

    ImageRegistry.Pull pull = registry.pull("apache/spark:whatever");

    assertThat(pull).isInstanceOfSatisfying(ImageRegistry.Pull.Failed.class, failed ->
        assertThat(failed.message()).contains("apache/spark:whatever").contains("not found"));
  }

  @Test
  void anImageDeclaredUnpullableNeverPulls() {
    ImageRegistry registry = ImageRegistry.declaredIn(images);

    ImageRegistry.Pull pull = registry.pull("sparkgate-test/unpullable:1.0");

    assertThat(pull).isInstanceOfSatisfying(ImageRegistry.Pull.Failed.class, failed ->
        assertThat(failed.message()).contains("pullable=false"));
  }

  @Test
  void referencesMapToDirectoriesByNameAndTag() {
    Path root = Path.of("/images");

    assertThat(ImageRegistry.directoryOf(root, "repo/spark:3.5.6")).contains(Path.of("/images/repo/spark/3.5.6"));
    assertThat(ImageRegistry.directoryOf(root, "spark")).contains(Path.of("/images/spark/latest"));
    assertThat(ImageRegistry.directoryOf(root, "localhost:5000/spark:1")).contains(
        Path.of("/images/localhost:5000/spark/1"));
    assertThat(ImageRegistry.directoryOf(root, "../../etc:passwd")).isEmpty();
  }

  static Path fixtureImages() {
    try {
      return Path.of(ImageRegistryTest.class.getResource("/images").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
