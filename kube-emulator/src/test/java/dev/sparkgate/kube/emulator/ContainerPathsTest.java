package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a container's absolute paths reach the node: through its mounts, else its image's file system. */
class ContainerPathsTest {

  @TempDir
  Path node;

  @Test
  void aPathUnderAMountIsUnderTheVolumeAndTheDeepestMountWins() {
    ContainerPaths paths = new ContainerPaths(List.of(
        new ContainerPaths.Mount("/runtime", node.resolve("runtime")),
        new ContainerPaths.Mount("/runtime/secrets/", node.resolve("secret"))), Optional.empty());

    assertThat(paths.translate("/runtime/jars/*:/runtime/secrets/token"))
        .isEqualTo(node.resolve("runtime") + "/jars/*:" + node.resolve("secret") + "/token");
    assertThat(paths.translate("-Dconf=/runtime")).isEqualTo("-Dconf=" + node.resolve("runtime"));
    assertThat(paths.translate("/runtimes/other and relative/runtime/x")).isEqualTo("/runtimes/other and relative/runtime/x");
  }

  @Test
  void aPathThatExistsInTheImagesFileSystemIsThatFileAndOthersAreLeftAlone() throws IOException {
    Path rootfs = node.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("opt/sparkgate/driver"));
    ContainerPaths paths = new ContainerPaths(List.of(), Optional.of(rootfs));

    assertThat(paths.translate("cp -r /opt/sparkgate/driver/. /runtime/; ls '/opt/sparkgate'"))
        .isEqualTo("cp -r " + rootfs + "/opt/sparkgate/driver/. /runtime/; ls '" + rootfs + "/opt/sparkgate'");
    assertThat(paths.translate("/usr/bin/env")).isEqualTo("/usr/bin/env");
  }
}
