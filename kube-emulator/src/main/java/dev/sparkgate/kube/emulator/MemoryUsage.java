package dev.sparkgate.kube.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The resident memory of a process tree, read from {@code /proc/<pid>/status} ({@code VmRSS}), standing in for what a
 * container's memory cgroup counts. Linux only; elsewhere it reads 0 and nothing is ever OOM-killed.
 */
final class MemoryUsage {

  private MemoryUsage() {}

  static long residentBytes(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants()).mapToLong(MemoryUsage::residentBytesOf).sum();
  }

  private static long residentBytesOf(ProcessHandle process) {
    try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      return lines.filter(line -> line.startsWith("VmRSS:"))
          .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
          .findFirst().orElse(0);
    } catch (IOException | RuntimeException e) {
      return 0; // gone meanwhile, or no /proc
    }
  }
}
