package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void theKubeconfigPathIsAllThatIsNeeded() {
    Main.Options options = Main.Options.parse("--kubeconfig", "/tmp/sparkgate.kubeconfig");

    assertThat(options.kubeconfig()).isEqualTo(Path.of("/tmp/sparkgate.kubeconfig"));
    assertThat(options.port()).isZero();
    assertThat(options.workDir()).isNull();
    assertThat(options.registry().root()).isEmpty();
    assertThat(options.registry().isStrict()).isFalse();
  }

  @Test
  void declaredImagesCanBeMadeTheOnlyImages() {
    Main.Options options = Main.Options.parse(
        "--kubeconfig", "k", "--port", "18443", "--images", "/images", "--strict-images", "--work-dir", "/w");

    assertThat(options.port()).isEqualTo(18443);
    assertThat(options.workDir()).isEqualTo(Path.of("/w"));
    assertThat(options.registry().root()).contains(Path.of("/images"));
    assertThat(options.registry().isStrict()).isTrue();
  }

  @Test
  void theNodeCanBeNamedAndGivenACapacity() {
    Main.Options options = Main.Options.parse("--kubeconfig", "k", "--node-name", "small", "--node-capacity", "2,3Gi");

    assertThat(options.nodeName()).isEqualTo("small");
    assertThat(options.nodeCpus()).isEqualTo("2");
    assertThat(options.nodeMemory()).isEqualTo("3Gi");
  }

  @Test
  void aCapacityThatIsNotTwoQuantitiesIsRefusedWithTheFormat() {
    assertThatThrownBy(() -> Main.Options.parse("--kubeconfig", "k", "--node-capacity", "lots"))
        .hasMessageContaining("CPUS,MEMORY").hasMessageContaining("4,8Gi").hasMessageContaining("lots");
  }

  @Test
  void aMissingKubeconfigOrAnUnknownOptionIsRefused() {
    assertThatThrownBy(() -> Main.Options.parse("--port", "1")).hasMessageContaining("--kubeconfig");
    assertThatThrownBy(() -> Main.Options.parse("--kubeconfig", "k", "--verbose")).hasMessageContaining("--verbose");
    assertThatThrownBy(() -> Main.Options.parse("--kubeconfig")).hasMessageContaining("needs a value");
  }
}
