package dev.sparkgate.kube.emulator;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The built-in image's {@code $SPARK_HOME}. Spark's images set it to {@code /opt/spark}, whose {@code jars/} hold the
 * runtime their executors run; here {@code jars/} links to the jars of the built-in runtime, so whatever looks into an
 * image's Spark home (the gateway's version probe, for one) finds the Spark that emulated executors really run.
 */
final class BuiltInSparkHome {

  private BuiltInSparkHome() {}

  /** Lays out {@code workDir/built-in-spark-home/jars/} for {@code classpath}, following jars' manifest Class-Path. */
  static Path create(Path workDir, List<Path> classpath) {
    Path home = workDir.resolve("built-in-spark-home");
    Path jars = home.resolve("jars");
    try {
      Files.createDirectories(jars);
      for (Path jar : jarsOf(classpath)) {
        Path link = jars.resolve(jar.getFileName());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, jar);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out the built-in Spark home under " + home, e);
    }
    return home;
  }

  /**
   * The jars a classpath loads: its jar entries and, since {@code java -jar} puts only the application's jar on the
   * classpath, the jars their manifests name. Directories (a build's classes) are no part of an image's Spark.
   */
  static Set<Path> jarsOf(List<Path> classpath) {
    Set<Path> jars = new LinkedHashSet<>();
    for (Path entry : classpath) {
      addWithManifestClassPath(entry.toAbsolutePath().normalize(), jars);
    }
    return jars;
  }

  private static void addWithManifestClassPath(Path jar, Set<Path> jars) {
    if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar) || !jars.add(jar)) {
      return;
    }
    String manifestClassPath;
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      manifestClassPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
    } catch (IOException e) {
      return; // not a readable jar: the JVM would skip it too
    }
    if (manifestClassPath == null) {
      return;
    }
    for (String relative : manifestClassPath.trim().split("\\s+")) {
      addWithManifestClassPath(jar.getParent().resolve(relative.replace('/', File.separatorChar)).normalize(), jars);
    }
  }
}
