package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A pod's private corner of the node's disk, standing in for the container's own file system: its working and home
 * directory, a {@code tmp/} for {@code TMPDIR} and {@code java.io.tmpdir}, and {@code local-dirs/} for
 * {@code SPARK_LOCAL_DIRS} (the emptyDir volumes Spark mounts). Removed with the pod, as emptyDirs are.
 */
record PodSandbox(Path root) {

  static PodSandbox create(Path workDir, Pod pod) {
    String uid = pod.getMetadata().getUid();
    String name = pod.getMetadata().getName() + (uid == null ? "" : "-" + uid.substring(0, Math.min(8, uid.length())));
    PodSandbox sandbox = new PodSandbox(workDir.resolve("pods").resolve(pod.getMetadata().getNamespace()).resolve(name));
    try {
      Files.createDirectories(sandbox.tmp());
      Files.createDirectories(sandbox.localDirs());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the sandbox of pod " + pod.getMetadata().getName(), e);
    }
    return sandbox;
  }

  Path tmp() {
    return root.resolve("tmp");
  }

  Path localDirs() {
    return root.resolve("local-dirs");
  }

  void delete() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }
}
